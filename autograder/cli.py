"""`python -m autograder …`: the instructor's and TA's commands."""

from __future__ import annotations

import argparse
from pathlib import Path


def _build(args) -> int:
    from .build import build

    out = build(Path(args.dist))
    print(f"student folder : {out['student']}")
    print(f"hand-out zip   : {out['student'] / 'hw04_student.zip'}")
    print(f"autograder.zip : {out['autograder']}")
    return 0


def _template(args) -> int:
    from .build import write_template

    print(f"wrote {write_template()}")
    return 0


def _otter_run(args) -> int:
    from .otter_run import otter_run
    from .questions import MANUAL_QUESTIONS, QUESTIONS, total_points
    from .report_table import table

    rows = []
    for nb in args.notebooks:
        try:
            scores = otter_run(Path(nb), Path(args.autograder))["question_scores"]
            rows.append((Path(nb).name, [scores.get(q) for q in QUESTIONS]))
        except Exception as e:  # one broken notebook must not stop the others
            rows.append((Path(nb).name, f"error: {e}".splitlines()[0]))
    print(table(rows, list(QUESTIONS), total_points()))
    print("graded by hand on Gradescope: " + ", ".join(f"{q} ({p:g})" for q, p in MANUAL_QUESTIONS.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write dist/student and dist/autograder.zip")
    b.add_argument("--dist", default="dist", help="output folder (default: dist)")
    b.set_defaults(func=_build)
    t = sub.add_parser("template", help="regenerate assignment/hw04.ipynb from the solved notebook")
    t.set_defaults(func=_template)
    o = sub.add_parser("otter-run", help="grade notebooks one by one with `otter run` and print a score table")
    o.add_argument("notebooks", nargs="+", help="submitted notebooks")
    o.add_argument("--autograder", default="dist/autograder.zip", help="default: dist/autograder.zip")
    o.set_defaults(func=_otter_run)
    args = parser.parse_args(argv)
    return args.func(args)
