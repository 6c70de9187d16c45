"""Device check (run where a GPU is lent): a submission that moves its tensors to CUDA gets the same grade.

    python bench/cuda_same_grade.py

Grades the solution twice with the in-process executor: as written, and with every tensor on
CUDA (the data moved with .to("cuda"), everything after made there by torch.set_default_device).
Prints both totals and exits 1 if any record differs. Without CUDA it says so and exits 0.
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import mutants  # noqa: E402
import torch  # noqa: E402

from autograder.engine.grading import grade_all  # noqa: E402
from autograder.judge.expected import expected_values  # noqa: E402
from autograder.run.execute import run_cells  # noqa: E402

ON_CUDA = 'torch.set_default_device("cuda")\nX, y, x = X.to("cuda"), y.to("cuda"), x.to("cuda")'


def grade(nb):
    records = grade_all(run_cells([c.source for c in nb.cells if c.cell_type == "code"]), expected_values())
    return [(r.question, r.check, r.hidden, r.passed, r.points, r.mistake) for r in records]


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device here: nothing to check")
        return 0
    cpu = mutants.mutant("solution")
    gpu = mutants.mutant("solution")
    at = next(i for i, c in enumerate(gpu.cells) if c.source == 'grader.check("data")')
    gpu.cells.insert(at + 1, nbformat.v4.new_code_cell(ON_CUDA))
    a, b = grade(cpu), grade(gpu)
    torch.set_default_device("cpu")
    print(f"{torch.cuda.get_device_name(0)}: cpu total {sum(r[4] for r in a)}, cuda total {sum(r[4] for r in b)}")
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    for x, y in diff:
        print("differs:", x, y)
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
