"""`python -m autograder …`: the instructor's and TA's commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.batch import escape
from autograder.engine.records import REVEALS


def _build(args) -> int:
    from autograder.build.dist import build

    out = build(Path(args.dist))
    print(f"student folder : {out['student']}")
    print(f"hand-out zip   : {out['student'] / 'hw04_student.zip'}")
    print(f"autograder.zip : {out['autograder']}")
    return 0


def _template(args) -> int:
    from autograder.build.dist import write_template

    print(f"wrote {write_template()}")
    return 0


def _otter_run(args) -> int:
    from autograder.otter.baseline import otter_run
    from autograder.report.table import table
    from autograder.spec.questions import MANUAL_QUESTIONS, QUESTIONS, total_points

    rows = []
    for nb in args.notebooks:
        try:
            scores = otter_run(Path(nb), Path(args.autograder))["question_scores"]
            rows.append((Path(nb).name, [scores.get(q) for q in QUESTIONS]))
        except Exception as e:  # one broken notebook must not stop the others
            rows.append((Path(nb).name, f"error: {e}".splitlines()[0]))
    print(table(rows, list(QUESTIONS), total_points(), {q: QUESTIONS[q].points for q in QUESTIONS}))
    print("graded by hand on Gradescope: " + ", ".join(f"{q} ({p:g})" for q, p in MANUAL_QUESTIONS.items()))
    return 0


def _grade(args) -> int:
    from autograder.batch.submissions import InputError, collect

    # the first line comes at once, before torch is imported and the workers warm up (seconds)
    try:
        submissions = collect(args.paths)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    found = len(submissions)
    jobs = args.jobs or (os.cpu_count() or 1)
    print(f"{found} submission(s) found; starting {min(jobs, found)} worker(s)"
          f"{' WITHOUT the sandbox' if args.no_sandbox else ', sandboxed'} (torch warms up first: a few seconds) ...",
          file=sys.stderr, flush=True)

    from autograder.batch.grade import Options, WorkerError, grade
    from autograder.batch.manual import LatePolicy
    from autograder.batch.results import load_results
    from autograder.report.table import table
    from autograder.spec.questions import QUESTIONS

    try:
        late = LatePolicy.parse(args.late_deduction)
    except ValueError as e:
        print(f"error: --late-deduction: {e}", file=sys.stderr)
        return 2
    options = Options(jobs=jobs, timeout=args.timeout, memory_mb=args.memory,
                      force=args.force, otter_csv=args.otter_csv, sandbox=not args.no_sandbox, late=late,
                      timing=args.timing)
    out = Path(args.out)
    try:
        summary = grade(args.paths, out, options, log=lambda m: print(m, file=sys.stderr), submissions=submissions)
    except (InputError, WorkerError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.table:
        results = load_results(out)
        rows = [(r.submission, [r.questions.get(q) for q in QUESTIONS] if r.status != "invalid"
                 else f"invalid: {r.reason}") for r in results]
        print(table(rows, list(QUESTIONS), results[0].max_score if results else 0,
                    {q: QUESTIONS[q].points for q in QUESTIONS}))
    c = summary["counts"]
    print(f"{summary['results']} results in {out}: " + ", ".join(f"{n} {s}" for s, n in c.items())
          + f"; mean score {summary['mean']:.2f}")
    print(f"grades: {out / 'grades.csv'}   per submission: {out / 'results'}/")
    if summary["interrupted"]:
        # every result is on disk: end now, without the interpreter's teardown, which can abort in
        # torch's C++ code when a grading thread was cut off inside it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if summary["missing"]:
        print(f"error: {len(summary['missing'])} submission(s) found but not in the results: "
              + escape.terminal(", ".join(summary["missing"][:20])), file=sys.stderr)
        return 1
    if summary.get("manual_error"):  # every result is written; grades.csv waits for manual.csv to be fixed
        return 2
    return 0


def _report(args) -> int:
    from autograder.batch.manual import LatePolicy, ManualError
    from autograder.report.canvas import read_roster
    from autograder.report.pages import write_reports

    out_dir = Path(args.dir)
    try:
        late = LatePolicy.parse(args.late_deduction)
    except ValueError as e:
        print(f"error: --late-deduction: {e}", file=sys.stderr)
        return 2
    roster = None
    if args.roster:
        try:
            roster = read_roster(Path(args.roster))
        except (OSError, ValueError) as e:
            print(f"error: --roster: {e}", file=sys.stderr)
            return 2
    from autograder.batch.results import load_results
    from autograder.report.canvas import refusal

    refused = refusal(args.assignment, roster, load_results(out_dir) if out_dir.is_dir() else [], args.new_assignment)
    if refused:
        print(escape.terminal(f"error: {refused}\nnothing was written"), file=sys.stderr)
        return 2
    try:
        out = write_reports(out_dir, lang=args.lang, reveal=args.reveal, roster=roster, assignment=args.assignment,
                            late=late, partial=args.partial)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ManualError as e:
        print(escape.terminal(f"error: {e}\nnothing was rewritten: fix the file and run report again"), file=sys.stderr)
        return 2
    canvas = out["canvas"]
    print(f"summary       : {out['summary']}")
    print(f"feedback      : {out['feedback']}/<submission>.html, .md and .txt (plain text for LMS comments; "
          f"{out['count']} submissions)")
    print(f"hand grading  : {out['manual']} (points and comments; a row for any question corrects the grader)")
    if canvas["rows"] or roster is not None:
        found = ", ".join(f"{n} by {how}" for how, n in canvas["matched_by"].items()) or "none"
        print(f"Canvas import : {canvas['canvas']} ({canvas['rows']} students, column {canvas['assignment']!r}; "
              f"placed {found})")
        if canvas["superseded"]:
            print(f"                {canvas['superseded']} student(s) had several submissions: the best score is the one in canvas.csv")
        print(f"not placed    : {canvas['unmatched']} ({canvas['unmatched_rows']} rows: not in canvas.csv)")
        print(f"Canvas comments: {out['canvas_feedback']} (Gradebook > the assignment's menu > Re-Upload Submissions; "
              f"{len(out['not_zipped'])} not from a Canvas download, named in the summary)")
    else:
        print(f"Canvas        : none of these {out['count']} submissions came from a Canvas download, so canvas.csv "
              "has no rows; with a Canvas download, or --roster, it is the file to import")
    for warning in canvas["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
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
    g = sub.add_parser("grade", help="grade notebooks, folders and zips in parallel, sandboxed, into --out")
    g.add_argument("paths", nargs="+", metavar="PATH", help="notebooks, folders of notebooks, or zips")
    g.add_argument("--out", required=True, help="output folder: grades.csv and results/")
    g.add_argument("--jobs", type=int, default=0, help="parallel workers (default: number of cores)")
    g.add_argument("--timeout", type=float, default=60.0, help="seconds per run: each submission runs twice (default 60)")
    g.add_argument("--memory", type=int, default=2048, help="MB per submission (default 2048)")
    g.add_argument("--force", action="store_true", help="grade again submissions already graded in --out")
    g.add_argument("--otter-csv", action="store_true", help="also write otter's final_grades.csv")
    g.add_argument("--table", action="store_true", help="print a score table")
    g.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap, as you: only for notebooks you trust")
    g.add_argument("--late-deduction", metavar="POINTS|PERCENT%", default="",
                   help="taken off a late submission (Canvas's late flag): '5' points or '10%%' of the grade (default: none)")
    g.add_argument("--timing", action="store_true",
                   help="also write timing.json: where the batch's CPU went, part by part (bench/batch_speed.py)")
    g.set_defaults(func=_grade)
    r = sub.add_parser("report", help="feedback pages per student, a summary with plots, canvas.csv and unmatched.csv")
    r.add_argument("dir", help="a batch output folder (from `grade --out`)")
    r.add_argument("--lang", choices=["ko", "en"], default="ko")
    r.add_argument("--reveal", choices=REVEALS, default="hints",
                   help="none: scores only; hints: the named mistakes (default); values: also student and expected values")
    r.add_argument("--roster", metavar="FILE",
                   help="Canvas's gradebook export (Grades > Export): fills SIS User ID, SIS Login ID and Section, "
                        "and places students without a Canvas id by SIS id, login or name")
    r.add_argument("--assignment", default="hw04", metavar="NAME",
                   help="the assignment's column as Canvas shows it, with its id: 'hw04 (12345)' (default: hw04, "
                        "or the roster's column of that title)")
    r.add_argument("--late-deduction", metavar="POINTS|PERCENT%", default="",
                   help="taken off a late submission (Canvas's late flag): '5' points or '10%%' of the grade (default: none)")
    r.add_argument("--new-assignment", action="store_true",
                   help="let canvas.csv create a new Canvas assignment: without it, a name the roster does not have "
                        "(or, with no roster, one without its id) is refused before anything is written")
    r.add_argument("--partial", action="store_true",
                   help="also put in canvas.csv students whose hand-graded points are not in yet (their total is partial)")
    r.set_defaults(func=_report)
    args = parser.parse_args(argv)
    return args.func(args)
