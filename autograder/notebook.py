"""Read a submitted notebook's code cells, or say in one line why it cannot be graded."""

from __future__ import annotations

import json

MAX_CELLS = 5000


class InvalidNotebook(Exception):
    pass


def code_cells(data: bytes) -> list[str]:
    try:
        nb = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidNotebook("not a notebook: the file is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise InvalidNotebook(f"not a notebook: invalid JSON (line {e.lineno}, column {e.colno})") from None
    if not isinstance(nb, dict):
        raise InvalidNotebook("not a notebook: the JSON is not an object")
    if "worksheets" in nb or nb.get("nbformat", 4) < 4:
        raise InvalidNotebook(f"nbformat {nb.get('nbformat', 3)} notebook: save it again with Jupyter (nbformat 4)")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise InvalidNotebook("not a notebook: it has no list of cells")
    meta = nb.get("metadata") or {}
    language = ((meta.get("kernelspec") or {}).get("language") or (meta.get("language_info") or {}).get("name") or "python")
    if str(language).lower() != "python":
        raise InvalidNotebook(f"a {language} notebook: this homework is Python")
    if len(cells) > MAX_CELLS:
        raise InvalidNotebook(f"{len(cells)} cells: more than {MAX_CELLS}")
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", "")
            sources.append("".join(src) if isinstance(src, list) else str(src))
    if not sources:
        raise InvalidNotebook("the notebook has no code cells")
    errors = [_syntax_error(src) for src in sources if src.strip()]
    if errors and all(errors):
        raise InvalidNotebook(f"no code cell is valid Python ({errors[0]})")
    return sources


def _syntax_error(source: str) -> str | None:
    """Why a cell does not compile (after IPython's transformation of magics), or None.
    One broken cell is graded like Jupyter runs it: it fails and the others go on."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        compile(TransformerManager().transform_cell(source), "<cell>", "exec")
    except SyntaxError as e:
        return f"line {e.lineno}: {e.msg}"
    except Exception as e:  # the transformer itself choked: as good as a syntax error
        return str(e)[:100]
    return None
