"""One notebook can never change, drop or delay another's row, and nothing is ever lost.

Every attack here is graded through the grader (sandboxed, or unsandboxed with its scratch folders
inside this test's own tmp_path), in a batch where an honest notebook comes after it in the same
worker, so a forged or leaked result would land on the honest one.
"""

import csv
import os
import subprocess
import sys

import mutants
import nbformat
import pytest
from conftest import EXAMPLES, ROOT

from autograder.batch.grade import Options, grade
from autograder.batch.results import load_results
from autograder.run.sandbox import bwrap_problem
from autograder.spec.questions import total_points

needs_bwrap = pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unavailable: {bwrap_problem()}")

# A whole, well-formed worker answer for the next notebook's official run, claiming 0 for it.
FORGED_ANSWER = """
import json, os
forged = {"job": "z_victim", "run": 0, "status": "crashed", "reason": "forged", "snapshots": {}, "errors": [],
          "output": "", "seconds": 0.1, "dropped": 0}
line = (json.dumps(forged) + "\\n").encode()
"""

FORGE_THROUGH_PROC = FORGED_ANSWER + """
for pid in [os.getppid()] + [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        continue
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fd/{fd}", "wb") as f:
                f.write(line)
        except OSError:
            pass
"""

FORGE_THROUGH_FDS = FORGED_ANSWER + """
for fd in range(0, 1024):
    try:
        os.write(fd, line)
    except OSError:
        pass
"""

FRAMES = """
import sys
f = sys._getframe()
while f is not None and "send" not in f.f_locals:
    f = f.f_back
send = f.f_locals["send"]
send({MESSAGE})
"""

FORGE_THROUGH_FRAMES = FORGED_ANSWER + FRAMES.replace("{MESSAGE}", "forged")
MALFORMED_SNAPSHOT = FRAMES.replace("{MESSAGE}", '{"snapshot": {"question": "data", "data": {"X": 1}}}')
NOT_JSON = """
import os, sys
f = sys._getframe()
while f is not None and "wfd" not in f.f_locals:
    f = f.f_back
os.write(f.f_locals["wfd"], b"this is not json\\n")
"""

PLANT = """
import os
for folder in ("/dev/shm", "/tmp", "/var/tmp", os.path.dirname(os.getcwd()), os.getcwd()):
    try:
        with open(os.path.join(folder, "planted-by-a"), "w") as f:
            f.write("x")
        print("PLANTED-IN", folder)
    except OSError:
        pass
"""
LOOK = """
import os
for folder in ("/dev/shm", "/tmp", "/var/tmp", os.path.dirname(os.getcwd()), os.getcwd()):
    if os.path.exists(os.path.join(folder, "planted-by-a")):
        print("SAW-PLANTED-FILE in", folder)
"""

# a System V shared memory segment outlives its process: one submission leaves one for the next
SYSV_KEY = 0x4857_0404
PLANT_SYSV = f"""
import ctypes
libc = ctypes.CDLL(None)
shmid = libc.shmget({SYSV_KEY}, 4096, 0o1000 | 0o666)
print("PLANTED-SEGMENT" if shmid != -1 else "NO-SEGMENT")
"""
LOOK_SYSV = f"""
import ctypes
if ctypes.CDLL(None).shmget({SYSV_KEY}, 0, 0) != -1:
    print("SAW-PLANTED-SEGMENT")
"""

SETSID = 'import subprocess\nsubprocess.Popen(["sleep", "601"], start_new_session=True)'
DOUBLE_FORK = """
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "602"])
    os._exit(0)
"""
PLAIN_FORK = """
import os
if os.fork() == 0:
    os.execvp("sleep", ["sleep", "603"])
"""


def sleepers():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").strip()
        except OSError:
            continue
        if cmd in (b"sleep 601", b"sleep 602", b"sleep 603"):
            found.append(cmd.decode())
    return found


def write(folder, name, nb):
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def blank_with(code):
    nb = nbformat.read(EXAMPLES / "blank.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "import numpy as np" in c.source) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(code))
    return nb


def batch(tmp_path, notebooks, sandbox=True, jobs=1, confine=True, timeout=30):
    folder, out, scratch = tmp_path / "in", tmp_path / "out", tmp_path / "scratch"
    scratch.mkdir(parents=True)
    for name, nb in notebooks.items():
        write(folder, name, nb)
    summary = grade([str(folder)], out, Options(jobs=jobs, timeout=timeout, memory_mb=1024, sandbox=sandbox,
                                                  scratch=scratch, keep_workers=sandbox and confine, confine=confine),
                    log=lambda m: None)
    return {r.submission: r.to_json() for r in load_results(out)}, summary


@needs_bwrap
@pytest.mark.parametrize("attack", ["proc", "fds", "frames"])
def test_a_forged_result_line_changes_no_other_row(tmp_path, attack):
    code = {"proc": FORGE_THROUGH_PROC, "fds": FORGE_THROUGH_FDS, "frames": FORGE_THROUGH_FRAMES}[attack]
    rows, _ = batch(tmp_path, {"a_forger": blank_with(code), "z_victim": mutants.mutant("solution")})
    assert rows["z_victim"]["status"] == "graded" and rows["z_victim"]["score"] == total_points()
    assert rows["a_forger"]["score"] == 0


@needs_bwrap
def test_a_malformed_message_crashes_only_its_own_submission(tmp_path):
    rows, _ = batch(tmp_path, {"a_malformed": mutants.with_cell(MALFORMED_SNAPSHOT, after="import numpy as np"),
                               "b_not_json": mutants.with_cell(NOT_JSON, after="import numpy as np"),
                               "c_victim": mutants.mutant("solution")})
    for name in ("a_malformed", "b_not_json"):
        assert rows[name]["status"] == "crashed" and "malformed message" in rows[name]["reason"], rows[name]["reason"]
        assert rows[name]["score"] == 0
    assert rows["c_victim"]["status"] == "graded" and rows["c_victim"]["score"] == total_points()


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_files_left_by_one_submission_are_not_seen_by_the_next(tmp_path, sandbox):
    plant, look = PLANT, LOOK
    if not sandbox:  # outside the sandbox the shared folders are the machine's: plant only in the scratch area
        plant, look = (code.replace('"/dev/shm", "/tmp", "/var/tmp", ', "") for code in (PLANT, LOOK))
        assert "/tmp" not in plant and "for folder in (os.path.dirname" in plant
    rows, _ = batch(tmp_path, {"a_planter": blank_with(plant), "b_looker": blank_with(look)}, sandbox=sandbox)
    assert rows["a_planter"]["status"] == rows["b_looker"]["status"] == "graded"
    assert "PLANTED-IN" in rows["a_planter"]["output"]  # the planting worked: the looker had something to find
    assert "SAW-PLANTED-FILE" not in rows["b_looker"]["output"]


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_no_process_outlives_its_submission_and_forking_does_not_delay_it(tmp_path, sandbox):
    notebooks = {"plain": mutants.mutant("solution"),
                 **{name: mutants.with_cell(code, after="import numpy as np")
                    for name, code in (("setsid", SETSID), ("double_fork", DOUBLE_FORK), ("plain_fork", PLAIN_FORK))}}
    rows, _ = batch(tmp_path, notebooks, sandbox=sandbox)
    assert sleepers() == []
    for name in ("setsid", "double_fork", "plain_fork"):
        assert rows[name]["status"] == "graded" and rows[name]["score"] == total_points(), rows[name]["reason"]
        assert rows[name]["seconds"] < rows["plain"]["seconds"] + 5  # not the 30 s timeout


def test_identical_bytes_from_two_students_are_two_rows_after_an_interrupted_rerun(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    for student in ("kim", "lee"):
        (folder / student).mkdir(parents=True)
        (folder / student / "hw04.ipynb").write_bytes((EXAMPLES / "blank.ipynb").read_bytes())
    options = Options(jobs=1, timeout=30, sandbox=False, scratch=tmp_path, keep_workers=True)  # the rerun reuses it
    grade([str(folder)], out, options, log=lambda m: None)
    assert len(load_results(out)) == 2
    (out / "results" / "hw04-2.json").unlink()  # as if interrupted before the second was written
    messages = []
    summary = grade([str(folder)], out, options, log=messages.append)
    assert len(load_results(out)) == 2 and summary["missing"] == []
    assert any("1 submission(s) already graded" in m for m in messages)
    with open(out / "grades.csv", encoding="utf-8") as f:
        assert sorted(r["submission"] for r in csv.DictReader(f)) == ["hw04", "hw04-2"]


def test_a_batch_with_a_row_missing_exits_non_zero_and_names_it(tmp_path, monkeypatch, capsys):
    import autograder.batch.grade
    from autograder.cli import main

    real = autograder.batch.grade.write_result

    def lose_one(out, result):
        if result.submission == "wrong_lr":
            raise OSError("disk full")
        return real(out, result)

    monkeypatch.setattr(autograder.batch.grade, "write_result", lose_one)
    code = main(["grade", str(EXAMPLES / "solution.ipynb"), str(EXAMPLES / "wrong_lr.ipynb"),
                 "--out", str(tmp_path / "out"), "--no-sandbox", "--jobs", "1"])
    assert code == 1
    said = capsys.readouterr()
    named = [line for line in said.err.splitlines() if "not in the results" in line]
    assert named and "wrong_lr.ipynb" in named[0], said.err[-2000:]  # named, not only counted
    assert "solution.ipynb" not in named[0]


def test_without_bubblewrap_grade_refuses_unless_told(tmp_path):
    env = dict(os.environ, PATH="/nonexistent")
    cmd = [sys.executable, "-m", "autograder", "grade", str(EXAMPLES / "blank.ipynb"), "--out", str(tmp_path / "o")]
    refused = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    assert refused.returncode == 2 and "bubblewrap" in refused.stderr and "WSL2" in refused.stderr
    assert not (tmp_path / "o" / "results").exists()
    told = subprocess.run([*cmd, "--no-sandbox"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert told.returncode == 0, told.stderr


@needs_bwrap
def test_the_sandbox_works_through_a_symlinked_venv(tmp_path):
    link = tmp_path / "venv-link"
    link.symlink_to(ROOT / ".venv")
    probe = "from autograder.run.sandbox import bwrap_problem, worker_command; print(bwrap_problem(), worker_command()[1])"
    proc = subprocess.run([str(link / "bin" / "python"), "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.split() == ["None", "True"], proc.stderr


@needs_bwrap
def test_shared_memory_left_by_one_submission_is_gone_for_the_next(tmp_path):
    rows, _ = batch(tmp_path, {"a_planter": blank_with(PLANT_SYSV), "b_looker": blank_with(LOOK_SYSV)})
    assert rows["a_planter"]["status"] == rows["b_looker"]["status"] == "graded"
    assert "PLANTED-SEGMENT" in rows["a_planter"]["output"]  # the planting worked
    assert "SAW-PLANTED-SEGMENT" not in rows["b_looker"]["output"]


def test_a_worker_that_fails_to_start_is_a_worker_error_that_quotes_what_it_said(monkeypatch):
    import sys

    import autograder.run.pool as pool

    said = "import sys; sys.stderr.write('torch is missing here'); sys.exit(3)"
    monkeypatch.setattr(pool, "worker_command", lambda sandbox: ([sys.executable, "-c", said], False))
    with pytest.raises(pool.WorkerError, match="torch is missing here"):
        pool.Worker(sandbox=False).ready()


@needs_bwrap
def test_a_worker_started_by_a_thread_that_has_ended_still_runs_the_next_job():
    """bubblewrap's --die-with-parent fires when the *thread* that started it ends: a worker started
    by one of a slot's lanes (or a restart) must outlive that lane, since the other lane's run is on it."""
    import threading

    from autograder.judge.assess import Limits, run_both
    from autograder.run.pool import Worker

    made = []
    starter = threading.Thread(target=lambda: made.append(Worker(sandbox=True).ready()))
    starter.start()
    starter.join()
    worker = made[0]
    try:
        cells = [c.source for c in mutants.mutant("solution").cells if c.cell_type == "code"]
        runs = run_both(cells, worker, Limits(timeout=30, memory_mb=1024), "after_its_thread")
        assert runs is not None and runs.official.status == "graded" and runs.fresh is not None, worker.proc.poll()
    finally:
        worker.close()


@needs_bwrap
def test_a_submission_whose_grading_fails_leaves_the_worker_to_the_run_beside_it(tmp_path, monkeypatch):
    """Each slot keeps two submissions on one worker. When the grader fails on one of them (here its
    reseeding raises), that one is `crashed`; the other's run, on the same worker, goes on and is graded."""
    import autograder.run.reseed

    real = autograder.run.reseed.reseed

    def failing(cells, seed):
        if any("BREAK-THE-GRADER" in c for c in cells):
            raise RuntimeError("the grader's own failure")
        return real(cells, seed)

    monkeypatch.setattr(autograder.run.reseed, "reseed", failing)
    notebooks = {f"s{2 * i}_breaker": blank_with("# BREAK-THE-GRADER") for i in range(4)}  # taken in turn with
    notebooks |= {f"s{2 * i + 1}_victim": mutants.mutant("solution") for i in range(4)}  # the victims
    rows, summary = batch(tmp_path, notebooks)
    assert summary["missing"] == []
    for name, r in rows.items():
        if name.endswith("breaker"):
            assert r["status"] == "crashed" and "RuntimeError" in r["reason"], r["reason"]
        else:
            assert (r["status"], r["score"]) == ("graded", total_points()), (name, r["status"], r["reason"])
