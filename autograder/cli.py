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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write dist/student and dist/autograder.zip")
    b.add_argument("--dist", default="dist", help="output folder (default: dist)")
    b.set_defaults(func=_build)
    t = sub.add_parser("template", help="regenerate assignment/hw04.ipynb from the solved notebook")
    t.set_defaults(func=_template)
    args = parser.parse_args(argv)
    return args.func(args)
