"""One run cannot reach another: each run has a fresh, empty, unprivileged world (run/confine.py,
run/template.py), and a run that starves, stalls or breaks its worker costs only its own row.

Each attack is a pair: a planting notebook graded first and a looking one after it, in the same
worker (jobs=1) or the next batch. Where the defence can be turned off (Options(confine=False):
the worker runs its children as before, without a world of their own), the same pair is graded
without it too, and the attack must win there: the positive control that shows the test can fail.
Every attack runs sandboxed (bubblewrap) or confined: none touches this machine outside the
test's own folder.
"""

import ctypes
import secrets
import time

import mutants
import pytest
from test_isolation import batch, blank_with, needs_bwrap

from autograder.spec.questions import total_points

TOKEN = secrets.token_hex(6)  # this test run's own names: nothing from an earlier run can be found

KEYRING_PLANT = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
payload = b"the whole notebook of a classmate"
# add_key("user", name, payload, len, KEY_SPEC_USER_KEYRING): a key belongs to the uid and outlives the process
libc.syscall(248, b"user", b"hw04-{TOKEN}", payload, len(payload), -4)
"""
KEYRING_LOOK = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
key = libc.syscall(249, b"user", b"hw04-{TOKEN}", None, 0)  # request_key: searches the uid's keyrings
if key > 0:
    print("SAW-KEY")
"""

MQUEUE_PLANT = f"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
q = libc.mq_open(b"/hw04-{TOKEN}", os.O_CREAT | os.O_WRONLY, 0o666, None)
libc.mq_send(q, b"answers", 7, 0)
"""
MQUEUE_LOOK = f"""
import ctypes, os
if ctypes.CDLL(None).mq_open(b"/hw04-{TOKEN}", os.O_RDONLY) >= 0:
    print("SAW-QUEUE")
"""

# The first run's cells and printed output hold a marker five times over; the second run looks
# for five copies in a row (its own source and memory hold the marker once, in the pattern), in
# its memory and up the stack, where the worker's variables were.
SECRET = f"MEMORY-OF-{TOKEN}"
MEMORY_PLANT = f'# {SECRET * 5}\nprint("{SECRET * 5}")'
MEMORY_LOOK = f"""
import sys
def five_in_a_row(data, marker):
    at = data.find(marker)
    while at >= 0:
        if data.count(marker, at, at + 5 * len(marker)) == 5:
            return True
        at = data.find(marker, at + 1)
    return False
def look():
    marker = bytes.fromhex("{SECRET.encode().hex()}")
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        if five_in_a_row(repr(frame.f_locals).encode(), marker):
            found.append("frames")
        frame = frame.f_back
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
        for line in maps:
            span, perms, *rest = line.split()
            if not perms.startswith("rw") or (len(rest) > 3 and rest[3] != "[heap]"):
                continue  # freed memory lies in the heap and anonymous mappings
            start, end = (int(x, 16) for x in span.split("-"))
            if end - start > 2**26:
                continue  # a reserved range (torch's, numpy's), not the small-object heap where strings lie
            try:
                mem.seek(start)
                if five_in_a_row(mem.read(end - start), marker):
                    found.append("memory")
                    break
            except (OSError, ValueError, OverflowError):
                pass
    return sorted(set(found)) or "none"
print("SAW-MEMORY", look())
"""

# Everywhere the run can write: a marker in every folder of the file system, and a module in every
# folder on sys.path; then every kernel object kind a process can make that outlives it.
CENSUS_NAME = f"census_{TOKEN}"
CENSUS_PLANT = f"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
wrote = []
for top, dirs, files in os.walk("/"):
    if top.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    try:
        with open(os.path.join(top, "{CENSUS_NAME}.py"), "w") as f:
            f.write("print('SAW-IMPORTED-PLANT')")
        wrote.append(top)
    except OSError:
        pass
print("WROTE", len(wrote), wrote[:20])
libc.shmget(0x4857{TOKEN[:4]}, 4096, 0o1000 | 0o666)
libc.semget(0x4857{TOKEN[:4]}, 1, 0o1000 | 0o666)
libc.msgget(0x4857{TOKEN[:4]}, 0o1000 | 0o666)
libc.mq_open(b"/{CENSUS_NAME}", os.O_CREAT | os.O_WRONLY, 0o666, None)
payload = b"x"
libc.syscall(248, b"user", b"{CENSUS_NAME}", payload, 1, -4)
os.mkfifo("/tmp/{CENSUS_NAME}.fifo") if os.access("/tmp", os.W_OK) else None
"""
CENSUS_LOOK = f"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
found = []
for top, dirs, files in os.walk("/"):
    if top.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    if "{CENSUS_NAME}.py" in files or "{CENSUS_NAME}.fifo" in files:
        found.append(top)
for kind, call in (("shm", lambda: libc.shmget(0x4857{TOKEN[:4]}, 0, 0)), ("sem", lambda: libc.semget(0x4857{TOKEN[:4]}, 0, 0)),
                   ("msg", lambda: libc.msgget(0x4857{TOKEN[:4]}, 0)),
                   ("mq", lambda: libc.mq_open(b"/{CENSUS_NAME}", os.O_RDONLY)),
                   ("key", lambda: libc.syscall(249, b"user", b"{CENSUS_NAME}", None, 0))):
    if call() >= 0:
        found.append(kind)
try:
    import {CENSUS_NAME}
    found.append("import")
except ImportError:
    pass
print("CENSUS-FOUND", found)
"""

# Take the worker's folder away from it, and leave a tree it cannot remove.
BREAK_WORKER = """
import os
here = os.getcwd()
os.makedirs(os.path.join(here, "stuck", "deeper"), exist_ok=True)
open(os.path.join(here, "stuck", "deeper", "f"), "w").close()
os.chmod(os.path.join(here, "stuck"), 0o500)
for folder in (os.path.dirname(here), here, "/tmp"):
    try:
        os.chmod(folder, 0)
    except OSError:
        pass
"""

STARVE = """
import os
for _ in range(40):
    try:
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
    except OSError:
        break
"""

# Memory beyond the limit, held where a per-process limit does not see it: in forked processes
# (each under the limit), and in files on a memory file system.
FORKED_MEMORY = """
import os, time
for _ in range(4):
    if os.fork() == 0:
        block = bytearray(300 * 2**20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(600)
time.sleep(3)
"""
TMPFS_MEMORY = """
import os
written = 0
try:
    for n in range(64):  # files of 32 MB: each under the per-file size limit
        with open(f"/dev/shm/hoard{n}", "wb") as f:
            for _ in range(32):
                f.write(b"x" * 2**20)
                written += 2**20
except OSError:
    pass
print("HOARDED-MB", written // 2**20)
"""

# IPython's transformation of this cell takes time quadratic in its size: 40 s here.
STALL_CELL = "x = 1\n" * 1000 + "!true\n" * 499


def forget_key(name: str) -> None:
    """Remove a key the positive control left in this machine's root user keyring."""
    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(249, b"user", name.encode(), None, 0)
    if key > 0:
        libc.syscall(250, 21, key)  # keyctl(KEYCTL_INVALIDATE, key)


@pytest.fixture
def clean_keys():
    yield
    for name in (f"hw04-{TOKEN}", CENSUS_NAME):
        forget_key(name)


@needs_bwrap
@pytest.mark.parametrize("confine", [True, False], ids=["confined", "positive_control"])
@pytest.mark.parametrize("kind", ["keyring", "mqueue"])
def test_a_kernel_object_left_by_one_run_is_not_seen_by_the_next(tmp_path, clean_keys, kind, confine):
    plant, look, mark = {"keyring": (KEYRING_PLANT, KEYRING_LOOK, "SAW-KEY"),
                         "mqueue": (MQUEUE_PLANT, MQUEUE_LOOK, "SAW-QUEUE")}[kind]
    rows, _ = batch(tmp_path, {"a_planter": blank_with(plant), "b_looker": blank_with(look)}, confine=confine)
    assert rows["a_planter"]["status"] == rows["b_looker"]["status"] == "graded"
    assert (mark in rows["b_looker"]["output"]) is not confine, rows["b_looker"]["output"]


@needs_bwrap
def test_a_key_planted_in_one_batch_is_not_seen_in_the_next(tmp_path, clean_keys):
    batch(tmp_path / "first", {"a_planter": blank_with(KEYRING_PLANT)})
    rows, _ = batch(tmp_path / "second", {"b_looker": blank_with(KEYRING_LOOK)})
    assert rows["b_looker"]["status"] == "graded" and "SAW-KEY" not in rows["b_looker"]["output"]


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_a_run_finds_nothing_of_the_previous_run_in_its_memory_or_the_workers_frames(tmp_path, sandbox):
    rows, _ = batch(tmp_path, {"a_secret": blank_with(MEMORY_PLANT), "b_looker": blank_with(MEMORY_LOOK)}, sandbox=sandbox)
    assert SECRET * 5 in rows["a_secret"]["output"]  # the secret was in the first run, and in its result
    assert "SAW-MEMORY none" in rows["b_looker"]["output"], rows["b_looker"]["output"]


@needs_bwrap
@pytest.mark.parametrize("confine", [True, False], ids=["confined", "positive_control"])
def test_census_nothing_a_run_can_write_or_make_is_there_for_the_next_run_or_batch(tmp_path, clean_keys, confine):
    rows, _ = batch(tmp_path / "one", {"a_census": blank_with(CENSUS_PLANT), "b_census": blank_with(CENSUS_LOOK)},
                    confine=confine)
    wrote = rows["a_census"]["output"]
    assert "WROTE" in wrote and int(wrote.split("WROTE")[1].split()[0]) >= 1  # it planted (at least its scratch)
    seen_next_run = rows["b_census"]["output"]
    if not confine:  # without a world of its own, the run's plants are there for the next one
        assert "CENSUS-FOUND []" not in seen_next_run, seen_next_run
        return
    assert "CENSUS-FOUND []" in seen_next_run, seen_next_run
    again, _ = batch(tmp_path / "two", {"c_census": blank_with(CENSUS_LOOK)})
    assert "CENSUS-FOUND []" in again["c_census"]["output"], again["c_census"]["output"]


@pytest.mark.parametrize("sandbox,confine", [pytest.param(True, True, marks=needs_bwrap), (False, True),
                                             pytest.param(True, False, marks=needs_bwrap)],
                         ids=["sandboxed", "unsandboxed", "positive_control"])
def test_a_run_that_breaks_its_worker_costs_only_its_own_row(tmp_path, sandbox, confine):
    rows, summary = batch(tmp_path, {"a_breaker": blank_with(BREAK_WORKER), "b_honest": mutants.mutant("solution"),
                                     "c_honest": mutants.mutant("solution")}, sandbox=sandbox, confine=confine)
    assert len(rows) == 3 and summary["missing"] == []
    honest = [rows[n]["status"] == "graded" and rows[n]["score"] == total_points() for n in ("b_honest", "c_honest")]
    assert all(honest) is confine, [rows[n]["reason"] for n in rows]


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_a_run_that_keeps_many_cores_busy_is_stopped_and_a_concurrent_run_keeps_full_marks(tmp_path, sandbox):
    started = time.monotonic()
    rows, summary = batch(tmp_path, {"a_starver": mutants.with_cell(STARVE, after="import numpy as np"),
                                     "b_honest": mutants.mutant("solution")}, sandbox=sandbox, jobs=2, timeout=20)
    assert rows["b_honest"]["status"] == "graded" and rows["b_honest"]["score"] == total_points()
    assert rows["a_starver"]["status"] == "timeout" and "core" in rows["a_starver"]["reason"]
    assert time.monotonic() - started < 35  # before the starver's two runs could have used their 20 s each
    assert len(rows) == 2 and summary["missing"] == []


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_memory_held_in_forked_processes_counts_against_the_runs_limit(tmp_path, sandbox):
    rows, _ = batch(tmp_path, {"a_hoarder": mutants.with_cell(FORKED_MEMORY, after="import numpy as np"),
                               "b_honest": mutants.mutant("solution")}, sandbox=sandbox)
    assert rows["a_hoarder"]["status"] == "memory" and rows["a_hoarder"]["score"] == 0
    assert rows["b_honest"]["status"] == "graded" and rows["b_honest"]["score"] == total_points()


@pytest.mark.parametrize("sandbox", [pytest.param(True, marks=needs_bwrap), False])
def test_files_in_memory_are_bounded_within_the_runs_limit(tmp_path, sandbox):
    from autograder.run.worker import tmpfs_mb

    rows, _ = batch(tmp_path, {"a_hoarder": mutants.with_cell(TMPFS_MEMORY, after="import numpy as np")},
                    sandbox=sandbox)
    hoarded = int(rows["a_hoarder"]["output"].split("HOARDED-MB")[1].split()[0])
    assert 0 < hoarded <= tmpfs_mb(1024) < 1024  # the batch's memory_mb: files are part of it, not on top


def test_a_cell_that_stalls_the_notebook_parser_costs_only_its_own_row(tmp_path):
    import nbformat

    staller = mutants.mutant("solution")
    staller.cells.insert(0, nbformat.v4.new_code_cell(STALL_CELL))  # first: the cell a syntax check parses first
    started = time.monotonic()
    rows, summary = batch(tmp_path, {"a_staller": staller,
                                     "b_honest": mutants.mutant("solution")}, sandbox=False, jobs=2, timeout=4)
    assert time.monotonic() - started < 30  # the parse alone takes 40 s; then the batch waited for it
    assert rows["a_staller"]["status"] == "timeout"
    assert rows["b_honest"]["status"] == "graded" and rows["b_honest"]["score"] == total_points()
    assert summary["missing"] == []


def test_a_notebook_with_no_valid_cell_is_invalid_with_the_first_cells_error(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in ("", "def f(:\n", "x = (")])
    rows, _ = batch(tmp_path, {"broken": nb}, sandbox=False)
    assert rows["broken"]["status"] == "invalid"
    assert rows["broken"]["reason"].startswith("no code cell is valid Python (line 1: ")


@needs_bwrap
def test_a_run_has_its_own_uid_no_capabilities_and_a_read_only_world(tmp_path):
    probe = """
import os
print("IDS", os.getuid(), os.geteuid(), open("/proc/self/status").read().split("CapEff:")[1].split()[0])
for place in ("/", "/dev", "/usr", "/etc"):
    try:
        open(os.path.join(place, "x"), "w").close()
        print("WROTE", place)
    except OSError:
        pass
print("MAP", open("/proc/self/uid_map").read().split())
"""
    rows, _ = batch(tmp_path, {"a": blank_with(probe), "b": blank_with(probe)})
    maps = []
    for name in ("a", "b"):
        out = rows[name]["output"]
        assert "IDS 1000 1000 0000000000000000" in out and "WROTE" not in out, out
        inside, outside, count = eval(out.split("MAP")[1].strip().splitlines()[0])
        assert inside == "1000" and int(outside) >= 1_000_000 and count == "1"
        maps.append(outside)
    assert maps[0] != maps[1]  # each run a uid of its own


# On Gradescope's path the looker's only voice is its score: when it finds the key it breaks its
# own backward(), and loses points.
KEYRING_LOOK_SCORED = KEYRING_LOOK.replace('    print("SAW-KEY")', '''    print("SAW-KEY")
    import torch
    torch.Tensor.backward = lambda *a, **k: None''')


@needs_bwrap
def test_on_the_otter_path_a_key_planted_by_one_run_is_not_seen_by_the_next(otter, tmp_path, clean_keys):
    import nbformat

    paths = {}
    for name, code in (("a_planter", KEYRING_PLANT), ("b_looker", KEYRING_LOOK_SCORED)):
        paths[name] = tmp_path / f"{name}.ipynb"
        nbformat.write(mutants.with_cell(code, after="import numpy as np"), paths[name])
    planted = otter([paths["a_planter"]])[paths["a_planter"]]  # one otter run after the other, as on one machine
    looked = otter([paths["b_looker"]])[paths["b_looker"]]
    assert sum(t.get("score", 0) for t in planted["tests"]) == total_points()
    assert sum(t.get("score", 0) for t in looked["tests"]) == total_points()


@needs_bwrap
def test_the_scored_looker_loses_points_when_the_key_is_there(tmp_path, clean_keys):
    """The positive control of the otter-path test: with the key in place and no world of its own,
    the looker finds it and its score drops."""
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.syscall(248, b"user", f"hw04-{TOKEN}".encode(), b"x", 1, -4) > 0  # as the planter would
    rows, _ = batch(tmp_path, {"b_looker": mutants.with_cell(KEYRING_LOOK_SCORED, after="import numpy as np")},
                    confine=False)
    assert "SAW-KEY" in rows["b_looker"]["output"] and rows["b_looker"]["score"] < total_points()


RETIRING_WORKER = r"""
import json, sys
print(json.dumps({"ready": True, "confined": True, "why": ""}), flush=True)
job = json.loads(sys.stdin.readline())
print(json.dumps({"job": job["job"], "run": job["run"], "status": "crashed", "reason": "left what could not be ended",
                  "snapshots": {}, "errors": [], "output": "", "seconds": 0.1, "retire": True}), flush=True)
"""


def test_a_worker_that_retires_after_a_run_is_replaced_and_the_next_submission_is_graded_by_a_fresh_one(tmp_path,
                                                                                                          monkeypatch):
    """A run the worker could not clean up after costs its own row only: the worker says so and
    ends, and every later submission goes to a fresh worker (here each one retires in turn)."""
    import sys

    import autograder.run.pool as pool

    started = []

    def command(sandbox):
        started.append(1)
        return [sys.executable, "-c", RETIRING_WORKER], False

    monkeypatch.setattr(pool, "worker_command", command)
    rows, summary = batch(tmp_path, {f"s{i}": mutants.mutant("solution") for i in range(3)}, sandbox=False)
    assert len(rows) == 3 and summary["missing"] == []
    assert all(r["reason"] == "left what could not be ended" for r in rows.values()), [r["reason"] for r in rows.values()]
    assert len(started) >= 3  # one worker per submission: none was handed to the next after it retired


SOLVER_IMPORT = """
try:
    from autograder.judge.loops import gradient_descent
    print("IMPORTED-THE-SOLVER", gradient_descent)
except ImportError as e:
    print("NO-SOLVER", type(e).__name__)
"""


@needs_bwrap
@pytest.mark.parametrize("confine", [True, False], ids=["confined", "positive_control"])
def test_a_run_cannot_import_the_grading_side_that_solves_the_loops(tmp_path, confine):
    rows, _ = batch(tmp_path, {"a_importer": blank_with(SOLVER_IMPORT)}, confine=confine)
    assert ("IMPORTED-THE-SOLVER" in rows["a_importer"]["output"]) is not confine, rows["a_importer"]["output"]
