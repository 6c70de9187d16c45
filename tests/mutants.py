"""Submissions made from the solved notebook by one named slip each.

A mutant is a list of (old, new) source edits; each `old` must occur exactly once in the
solved notebook's code, so a mutant breaks loudly if the solution changes under it.
The written notebooks look like real submissions: solution markers are removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "solutions" / "hw04_solution.ipynb"

MUTANTS: dict[str, list[tuple[str, str]]] = {
    "broadcast": [("loss2 = torch.mean((y.reshape(100,1)-yhat2)**2)", "loss2 = torch.mean((y-yhat2)**2)")],
    "sum_not_mean": [("loss1 = torch.mean((y-yhat1)**2)", "loss1 = torch.sum((y-yhat1)**2)")],
    "update_sign": [("What1.data = What1.data - lr*What1.grad.data", "What1.data = What1.data + lr*What1.grad.data")],
    "wrong_lr": [
        ("optmz2 = torch.optim.SGD(net2.parameters(),lr=0.1)", "optmz2 = torch.optim.SGD(net2.parameters(),lr=0.01)")
    ],
    "no_zero_grad": [("    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION\n", "")],
    "weights_not_set": [("net2.weight.data = torch.tensor([[-5.0,10.0]]) # SOLUTION\n", "")],
    "wrong_bias": [("net2 = torch.nn.Linear(in_features=2,out_features=1,bias=False)",
                    "net2 = torch.nn.Linear(in_features=2,out_features=1,bias=True)")],
    "grad_accumulated": [("loss1 = torch.mean((y-yhat1)**2) # SOLUTION",
                          "loss1 = torch.mean((y-yhat1)**2)\nloss1.backward(retain_graph=True)")],
    "not_a_tensor": [("What4 = torch.tensor([-5.0,10.0],requires_grad=True)", "What4 = [-5.0, 10.0]")],
}


def clean(source: str) -> str:
    """A student's cell: no solution markers."""
    lines = [l for l in source.split("\n") if l.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")]
    return "\n".join(re.sub(r"\s*#\s*SOLUTION\s*$", "", l) for l in lines)


def mutant(name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(SOLUTION, as_version=4)
    for old, new in MUTANTS.get(name, []):
        hits = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
        if len(hits) != 1 or hits[0].source.count(old) != 1:
            raise ValueError(f"mutant {name!r}: {old!r} occurs {len(hits)} times in the solution")
        hits[0].source = hits[0].source.replace(old, new)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = clean(cell.source)
            cell.outputs, cell.execution_count = [], None
    return nb


def write(name: str, path: Path) -> Path:
    nbformat.write(mutant(name), path)
    return path
