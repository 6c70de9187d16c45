"""Grade one notebook the way otter does it without Docker: `otter run` with dist/autograder.zip.

The baseline every faster path is measured and checked against.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def otter_run(notebook: Path, autograder_zip: Path, timeout: float = 600) -> dict:
    """results.json of `otter run`, plus 'question_scores': {question: score}."""
    with tempfile.TemporaryDirectory(prefix="otter-run-") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "otter", "run", "-a", str(autograder_zip), "-o", out, "--no-logo", str(notebook)],
            capture_output=True, text=True, timeout=timeout,
        )
        results_path = Path(out) / "results.json"
        if not results_path.exists():
            raise RuntimeError(f"otter run wrote no results.json for {notebook}:\n{proc.stdout}\n{proc.stderr}")
        results = json.loads(results_path.read_text(encoding="utf-8"))
    results["question_scores"] = {
        t["name"]: float(t["score"]) for t in results.get("tests", []) if t.get("max_score") is not None
    }
    return results
