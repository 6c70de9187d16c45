"""Gradescope's entry point: `run_otter.py` in dist/autograder.zip calls `main`.

Otter reads the notebook with nbformat before any plugin runs, and a notebook it cannot read
ends the run with no results.json at all. Here such a notebook gets a results.json worth 0
that says why, in Korean and English, and so does any other failure of otter's run.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

UNREADABLE = ("제출한 노트북을 읽을 수 없어 채점하지 못했습니다: {reason}. Jupyter 에서 노트북을 다시 저장해 제출하세요.\n"
              "Your notebook could not be read, so it was not graded: {reason}. Save it again in Jupyter and resubmit.")
FAILED = ("채점 중 오류가 나서 점수를 매기지 못했습니다. 조교에게 알려 주세요.\n"
          "Grading failed with an error, so no score was given: please tell your TA. ({error})")


def unreadable(submission: Path) -> str | None:
    """Why the submitted notebook cannot be graded, or None (also None when otter will say it)."""
    import nbformat

    from autograder.run.notebook import InvalidNotebook, code_cells

    notebooks = sorted(submission.glob("*.ipynb"))
    if len(notebooks) != 1:
        return None  # no notebook, or several: otter's own error message says so
    try:
        code_cells(notebooks[0].read_bytes())
        nbformat.read(notebooks[0], as_version=nbformat.NO_CONVERT)
    except InvalidNotebook as e:
        return str(e)
    except Exception as e:  # noqa: BLE001 - whatever nbformat refuses, otter would refuse too
        return f"nbformat cannot read it ({type(e).__name__})"
    return None


def main(autograder_dir: str = "/autograder") -> None:
    from autograder.otter.plugin import FALLBACK, write_results

    root = Path(autograder_dir)
    results = root / "results" / "results.json"
    reason = unreadable(root / "submission")
    if reason:
        write_results(results, UNREADABLE.format(reason=reason))
        return
    try:
        from otter.run.run_autograder import main as run_autograder

        run_autograder(autograder_dir)
        set_visibility(results, root / "source" / "otter_config.json")
    except BaseException as e:  # noqa: BLE001 - Gradescope must get a results.json whatever happened
        traceback.print_exc(file=sys.stderr)
        try:
            written = json.loads(results.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            written = None
        if not written or written.get("output") == FALLBACK or not written.get("tests"):
            write_results(results, FAILED.format(error=type(e).__name__))


def set_visibility(results: Path, config: Path) -> None:
    """Every scored test as the plugin's "visibility" setting says (otter itself can only write
    hidden or after_published for tests that have hidden cases), and every output shown as plain
    text (Gradescope's default format renders some HTML)."""
    from autograder.otter.plugin import PLUGIN_NAME, visibility

    plugins = json.loads(config.read_text(encoding="utf-8")).get("plugins", [])
    settings = next((p[PLUGIN_NAME] for p in plugins if isinstance(p, dict) and PLUGIN_NAME in p), {})
    chosen = visibility(settings)
    written = json.loads(results.read_text(encoding="utf-8"))
    written["output_format"] = "text"  # students' own text (errors, names) is in the outputs: shown as text, never HTML
    for test in written.get("tests", []):
        test["output_format"] = "text"
        if "max_score" in test:
            test["visibility"] = chosen
    results.write_text(json.dumps(written, ensure_ascii=False), encoding="utf-8")
