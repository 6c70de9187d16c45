"""Read a submitted notebook's code cells, or say in one line why it cannot be graded.

Reading is linear in the file's size (JSON and type checks): it runs in the grading process.
Whether any cell is valid Python needs IPython's transformations, which are not: that check
(`syntax_problem`) runs in the run's own process.

The bytes are untrusted: every field is checked for the type Jupyter's nbformat 4 schema gives it
before it is used, so a malformed notebook is refused with a reason instead of crashing the grader.
"""

from __future__ import annotations

import functools
import json

MAX_CELLS = 5000


class InvalidNotebook(Exception):
    pass


def code_cells(data: bytes) -> list[str]:
    """The source of each code cell. Raises InvalidNotebook, and nothing else, whatever `data` is."""
    try:
        return _code_cells(data)
    except InvalidNotebook:
        raise
    except Exception as e:  # a case the checks below did not foresee: still a reason, not a traceback
        raise InvalidNotebook(f"could not read the notebook: {type(e).__name__}") from None


def _code_cells(data: bytes) -> list[str]:
    """Each field is checked for its nbformat 4 type before use, so the reason names what is wrong."""
    nb = _parse(data)
    if not isinstance(nb, dict):
        raise InvalidNotebook("not a notebook: the JSON is not an object")
    version = nb.get("nbformat", 4)
    if type(version) is not int:  # Jupyter refuses "4" and 4.0 alike
        shown = _short(repr(version)) if isinstance(version, (str, float, type(None))) else "a " + type(version).__name__
        raise InvalidNotebook(f"not a notebook: nbformat is {shown}, not a whole number")
    if "worksheets" in nb or version < 4:
        raise InvalidNotebook(f"nbformat {nb.get('nbformat', 3)} notebook: save it again with Jupyter (nbformat 4)")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise InvalidNotebook("not a notebook: it has no list of cells")
    language = _language(nb.get("metadata"))
    if language.lower() != "python":
        raise InvalidNotebook(f"a {_short(language)} notebook: this homework is Python")
    if len(cells) > MAX_CELLS:
        raise InvalidNotebook(f"{len(cells)} cells: more than {MAX_CELLS}")
    sources = []
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise InvalidNotebook(f"cell {n}: not a cell object")
        if not isinstance(cell.get("cell_type"), str):
            raise InvalidNotebook(f"cell {n}: cell_type is not text")
        src = cell.get("source", "")
        if isinstance(src, list) and all(isinstance(line, str) for line in src):
            src = "".join(src)
        if not isinstance(src, str):
            raise InvalidNotebook(f"cell {n}: source is not text")
        if cell["cell_type"] == "code":
            sources.append(src)
    if not sources:
        raise InvalidNotebook("the notebook has no code cells")
    return sources


def syntax_problem(sources: list[str]) -> str | None:
    """Why no cell of the notebook is valid Python, or None when one is (then it is run whole,
    as Jupyter would: a broken cell fails and the others go on). IPython's transformation of a
    cell can take time quadratic in its size, so this runs in the run's own process, under its
    time limit (run/worker.py), never in the grading process."""
    first = None  # the first cell's syntax error, if no cell compiles
    for src in filter(str.strip, sources):
        error = _syntax_error(src)
        if error is None:
            return None
        first = first or error
    return f"no code cell is valid Python ({first})" if first else None


def _parse(data: bytes):
    """The JSON value, or why the bytes are not JSON a notebook could be."""
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidNotebook("not a notebook: the file is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise InvalidNotebook(f"not a notebook: invalid JSON (line {e.lineno}, column {e.colno})") from None
    except RecursionError:  # the parser recurses once per level: {"a": {"a": ... 100,000 deep
        raise InvalidNotebook("not a notebook: the JSON is nested too deeply") from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise InvalidNotebook("not a notebook: it holds a number too large to read") from None


def _language(meta) -> str:
    """The kernel's language from the metadata (Python when it does not say)."""
    if meta is None:
        return "python"
    if not isinstance(meta, dict):
        raise InvalidNotebook("not a notebook: its metadata is not an object")
    for key, field in (("kernelspec", "language"), ("language_info", "name")):
        part = meta.get(key)
        if part is None:
            continue
        if not isinstance(part, dict):
            raise InvalidNotebook(f"not a notebook: metadata.{key} is not an object")
        value = part.get(field)
        if value is not None and not isinstance(value, str):
            raise InvalidNotebook(f"not a notebook: metadata.{key}.{field} is not text")
        if value:
            return value
    return "python"


def _short(text: str) -> str:
    """Student text put into a one-line reason: one line, and short."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:40] + "…"


def _syntax_error(source: str) -> str | None:
    """Why a cell does not compile (after IPython's transformation of magics), or None.
    One broken cell is graded like Jupyter runs it: it fails and the others go on."""
    try:
        compile(transform(source), "<cell>", "exec")
    except SyntaxError as e:
        return f"line {e.lineno}: {e.msg}"
    except Exception as e:  # the transformer itself choked: as good as a syntax error
        return " ".join(str(e).split())[:100]
    return None


_TRANSFORMER = None


@functools.lru_cache(maxsize=512)
def transform(source: str) -> str:
    """IPython's transformation of a cell (pure: the same source always gives the same code)."""
    global _TRANSFORMER
    if _TRANSFORMER is None:
        from IPython.core.inputtransformer2 import TransformerManager

        _TRANSFORMER = TransformerManager()
    return _TRANSFORMER.transform_cell(source)
