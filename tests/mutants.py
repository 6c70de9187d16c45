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

# mutant -> (edits, where the slip shows: the "question:path" keys starting with this, the code named there)
# Each mutant is a solution notebook with exactly one slip; the suite asserts that this code is
# named there and that no other check names any code.
SUITE: dict[str, tuple[list[tuple[str, str]], str, str]] = {
    "broadcast": ([("loss2 = torch.mean((y.reshape(100,1)-yhat2)**2)", "loss2 = torch.mean((y-yhat2)**2)")],
                  "method2:loss2", "broadcast"),
    "sum_not_mean": ([("loss1 = torch.mean((y-yhat1)**2)", "loss1 = torch.sum((y-yhat1)**2)")],
                     "method1:loss1", "sum_not_mean"),
    "rmse_not_mse": ([("loss3 = torch.mean((y.reshape(100,1)-yhat3)**2)",
                       "loss3 = torch.sqrt(torch.mean((y.reshape(100,1)-yhat3)**2))")], "method3:loss3", "rmse_not_mse"),
    "grad_accumulated": ([("loss1 = torch.mean((y-yhat1)**2) # SOLUTION",
                           "loss1 = torch.mean((y-yhat1)**2)\nloss1.backward(retain_graph=True)")],
                         "step3:What1.grad", "grad_accumulated"),
    "update_sign": ([("What1.data = What1.data - lr*What1.grad.data", "What1.data = What1.data + lr*What1.grad.data")],
                    "step4:What1", "update_sign"),
    "wrong_lr": ([("optmz2 = torch.optim.SGD(net2.parameters(),lr=0.1)",
                   "optmz2 = torch.optim.SGD(net2.parameters(),lr=0.01)")], "step4:net2.weight", "wrong_lr"),
    "wrong_lr_by_hand": ([("What4.data = What4.data - lr*What4.grad.data", "What4.data = What4.data - 0.01*What4.grad.data")],
                         "step4:What4", "wrong_lr"),
    "no_update": ([("optmz5.step() # SOLUTION\n", "")], "step4:net5.weight", "no_update"),
    "wrong_optimizer": ([("optmz3 = torch.optim.SGD(net3.parameters(),lr=0.1)",
                          "optmz3 = torch.optim.Adam(net3.parameters(),lr=0.1)")], "step4:net3.", "wrong_optimizer"),  # both parameters
    "no_zero_grad": ([("    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION\n", "")], "loop:net", "no_zero_grad"),
    "zero_grad_in_homework": ([("    optmz.step() # SOLUTION\nlist(net.parameters())",
                                "    optmz.step()\n    optmz.zero_grad()\nlist(net.parameters())")],
                              "homework:net", "zero_grad_in_homework"),
    "weights_not_set": ([("net2.weight.data = torch.tensor([[-5.0,10.0]]) # SOLUTION\n", "")],
                        "method2:yhat2", "weights_not_set"),
    "not_linear": ([("net5 = torch.nn.Linear(in_features=2,out_features=1,bias=False) # SOLUTION\nnet5.weight.data = torch.tensor([[-5.0,10.0]])",
                     "net5 = torch.nn.Sequential(torch.nn.Linear(in_features=2,out_features=1,bias=False))\nnet5[0].weight.data = torch.tensor([[-5.0,10.0]])")],
                   "method5:yhat5", "not_linear"),
    "wrong_bias": ([("net2 = torch.nn.Linear(in_features=2,out_features=1,bias=False)",
                     "net2 = torch.nn.Linear(in_features=2,out_features=1,bias=True)")], "method2:yhat2", "wrong_bias"),
    "data_mismatch": ([("torch.manual_seed(202150754)", "torch.manual_seed(2021)")], "data:X", "data_mismatch"),  # named once, at X; y and the rest follow from it
    "no_requires_grad": ([("What1 = torch.tensor([-5.0,10.0],requires_grad=True)", "What1 = torch.tensor([-5.0,10.0])")],
                         "method1:yhat1", "no_requires_grad"),
    "no_backward": ([("loss4.backward() # SOLUTION\n", "")], "step3:What4.grad", "no_backward"),
    "shape": ([("yhat2 = net2(X) # SOLUTION\nloss2 = torch.mean((y.reshape(100,1)-yhat2)**2)",
                "yhat2 = net2(X).reshape(-1)\nloss2 = torch.mean((y-yhat2)**2)")], "method2:yhat2", "shape"),
    "missing": ([("grad_twice = What.grad.clone() # SOLUTION\n", "")], "sgd:grad_twice", "missing"),
    "not_a_tensor": ([("grad_twice = What.grad.clone()", "grad_twice = What.grad.numpy().copy()")],
                     "sgd:grad_twice", "not_a_tensor"),
    "dtype": ([("grad_twice = What.grad.clone()", "grad_twice = What.grad.clone().long()")], "sgd:grad_twice", "dtype"),
    "nan": ([("grad_after_zero = What.grad\n", "grad_after_zero = What.grad / What.grad.abs()\n")],
            "sgd:grad_after_zero", "nan"),
    "none": ([("optmz_sgd.zero_grad(set_to_none=False)", "optmz_sgd.zero_grad()")], "sgd:grad_after_zero", "none"),
    # nothing more specific fits: public says `inconsistent`, hidden `wrong_value`
    "off_by_one": ([("yhat1 = X@What1 # SOLUTION", "yhat1 = X@What1 + 1")], "method1:yhat1", "inconsistent/wrong_value"),
}
MUTANTS: dict[str, list[tuple[str, str]]] = {name: edits for name, (edits, _, _) in SUITE.items()}


def clean(source: str) -> str:
    """A student's cell: no solution markers."""
    lines = [line for line in source.split("\n") if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")]
    return "\n".join(re.sub(r"\s*#\s*SOLUTION\s*$", "", line) for line in lines)


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



def with_cell(code: str, after: str | None = None, base: str = "solution") -> nbformat.NotebookNode:
    """A mutant (default: the solution) with one extra code cell, after the cell containing `after`."""
    nb = mutant(base)
    at = len(nb.cells) if after is None else next(i for i, c in enumerate(nb.cells) if after in c.source) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    return nb


def _literal(value: dict) -> str | None:
    """Python source that rebuilds a captured value as a constant."""
    kind = value.get("kind")
    if kind == "number":
        return repr(value["value"])
    if kind == "tensor" and value.get("values") is not None:
        dtype = "" if value["dtype"] == "float32" else f", dtype=torch.{value['dtype']}"
        grad = ", requires_grad=True" if value["requires_grad"] else ""
        return f"torch.tensor({value['values']!r}{dtype}{grad})"
    return None


def _rebuild(name: str, value: dict) -> list[str]:
    kind = value.get("kind")
    if kind == "tensor":
        lines = [f"{name} = {_literal(value)}"]
        if value.get("grad"):
            lines.append(f"{name}.grad = {_literal(value['grad'])}")
        return lines
    if kind == "module" and value["type"] == "Linear":
        has_bias = value["params"].get("bias") is not None
        lines = [f"{name} = torch.nn.Linear({value['in_features']}, {value['out_features']}, bias={has_bias})"]
        for p, v in value["params"].items():
            if v is not None:
                lines.append(f"{name}.{p}.data = {_literal({**v, 'requires_grad': False})}")
                if v.get("grad"):
                    lines.append(f"{name}.{p}.grad = {_literal({**v['grad'], 'requires_grad': False})}")
        return lines
    if kind == "optimizer":
        return [f"{name} = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr={value['groups'][0]['lr']!r})"]
    if kind == "module":
        return [f"{name} = torch.nn.{value['type']}()"]
    literal = _literal(value)
    return [f"{name} = {literal}"] if literal else []


def hard_coded() -> nbformat.NotebookNode:
    """The template with every graded value typed in as a constant (taken from the solution's run)."""
    from autograder.run.execute import run_cells

    solved = mutant("solution")
    snapshots = run_cells([c.source for c in solved.cells if c.cell_type == "code"])
    template = nbformat.read(ROOT / "assignment" / "hw04.ipynb", as_version=4)
    cells = []
    for cell in template.cells:
        if cell.cell_type == "code" and cell.source.startswith("grader.check("):
            question = cell.source.split('"')[1]
            if question != "data":
                lines = ["import torch"]
                for name, value in snapshots[question].items():
                    if name not in ("X", "y", "x"):
                        lines += _rebuild(name, value)
                cells.append(nbformat.v4.new_code_cell("\n".join(lines)))
        if cell.cell_type != "code" or "..." not in cell.source:
            cells.append(cell)
    template.cells = cells
    return template
