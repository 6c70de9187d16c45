"""Derive the student template from the solved notebook (otter assign's solution markers).

The solved notebook is the master copy an instructor edits. A line ending in `# SOLUTION`
becomes `name = ...` (or `...`), a `# BEGIN SOLUTION` / `# END SOLUTION` block becomes
`...`, an answer cell (tag `otter_answer_cell`) gets the placeholder text, and outputs go.
"""

from __future__ import annotations

import copy
import re

import nbformat

ANSWER_TAG = "otter_answer_cell"
ANSWER_PLACEHOLDER = "_여기에 답을 쓰세요. / Type your answer here, replacing this text._"
_ASSIGN = re.compile(r"^(\s*)([A-Za-z_ϵ][\w.\[\], ]*?)\s*=(?!=)")


def strip_code(source: str) -> str:
    out: list[str] = []
    in_block = False
    for line in source.split("\n"):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if stripped == "# BEGIN SOLUTION":
            in_block = True
            out.append(indent + "...")
        elif stripped == "# END SOLUTION":
            in_block = False
        elif in_block:
            continue
        elif re.search(r"#\s*SOLUTION\s*$", line):
            m = _ASSIGN.match(line)
            out.append(f"{m.group(1)}{m.group(2)} = ..." if m else indent + "...")
        else:
            out.append(line)
    collapsed = [s for i, s in enumerate(out) if not (i and s.strip() == "..." and out[i - 1] == s)]
    return "\n".join(collapsed)


def student_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source)
            cell.outputs = []
            cell.execution_count = None
        elif ANSWER_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = ANSWER_PLACEHOLDER
    return nb
