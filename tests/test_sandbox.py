"""The sandbox is a real one: student code cannot write outside its scratch folder, reach the
network, or read what it must not (the solution, classmates' notebooks, the results)."""

import json
import socket
import threading

import nbformat
import pytest
from conftest import EXAMPLES, ROOT

from autograder.batch.grade import Options, grade
from autograder.run.sandbox import bwrap_problem
from autograder.spec.questions import total_points

WRITE_AND_CALL = """
import os, socket
for target in {targets!r}:
    try:
        with open(target, "w") as f:
            f.write("pwned")
    except OSError:
        pass
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    s.sendall(b"pwned")
    s.close()
except OSError:
    pass
"""

STEAL = """
import json
def steal(i):
    for path in {sources!r}:
        try:
            nb = json.load(open(path))
        except OSError:
            continue
        code = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
        exec("".join(code[i]) if isinstance(code[i], list) else code[i], globals())
        return
"""


def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    heard: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                heard.append(conn.recv(100) or b"<connected>")

    threading.Thread(target=serve, daemon=True).start()
    return server, heard, stop


def attacker(sources, targets, port):
    """The blank template whose blanks copy a solution found on disk, after writing files and calling home."""
    nb = nbformat.read(EXAMPLES / "blank.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        if "..." in cell.source:
            cell.source = f"steal({i})"
    code[1].source += "\n" + STEAL.format(sources=[str(s) for s in sources])
    code[1].source += "\n" + WRITE_AND_CALL.format(targets=[str(t) for t in targets], port=port)
    return nb


def attack(tmp_path, sandbox: bool, confine: bool = True):
    tag = ("boxed" if sandbox else "open") + ("" if confine else "-unconfined")
    folder = tmp_path / tag
    folder.mkdir()
    (folder / "classmate.ipynb").write_bytes((EXAMPLES / "solution.ipynb").read_bytes())
    out = tmp_path / f"out-{tag}"
    # outside the scratch folder, but inside this test's own folder: an unsandboxed attack that works
    # must still never touch the machine's files
    elsewhere = tmp_path / f"elsewhere-{tag}"
    elsewhere.mkdir()
    targets = [elsewhere / "pwned-1.txt", elsewhere / "pwned-2.txt", out / "grades.csv"]
    server, heard, stop = listener()
    try:
        nb = attacker([folder / "classmate.ipynb", ROOT / "solutions" / "hw04_solution.ipynb"], targets[:2] +
                      [out / "results" / "attacker.json"], server.getsockname()[1])
        nbformat.write(nb, folder / "attacker.ipynb")
        scratch = tmp_path / f"scratch-{tag}"
        scratch.mkdir()
        grade([str(folder)], out, Options(jobs=1, sandbox=sandbox, scratch=scratch, keep_workers=sandbox, confine=confine),
              log=lambda m: None)
        written = [t for t in targets[:2] if t.exists()]
        score = json.loads((out / "results" / "attacker.json").read_text())["score"]
        return written, list(heard), score
    finally:
        stop.set()
        server.close()
        for t in targets[:2]:
            if t.exists():
                t.unlink()


def test_the_attack_works_without_a_sandbox_or_a_world_of_its_own(tmp_path):
    written, heard, score = attack(tmp_path, sandbox=False, confine=False)
    assert len(written) == 2 and heard, "the attack must be real for the sandbox test to mean anything"
    assert score == total_points()


def test_without_a_sandbox_a_confined_run_still_writes_nothing_and_reaches_nothing(tmp_path):
    written, heard, _ = attack(tmp_path, sandbox=False)  # it still reads what any user may: only the sandbox hides files
    assert written == [] and heard == []


@pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unavailable: {bwrap_problem()}")
def test_in_the_sandbox_it_changes_nothing_reaches_nothing_and_reads_nothing(tmp_path):
    written, heard, score = attack(tmp_path, sandbox=True)
    assert written == [] and heard == []
    assert score == 0
    results = tmp_path / "out-boxed" / "results"
    assert sorted(p.name for p in results.iterdir()) == ["attacker.json", "classmate.json"]  # nothing planted there
    assert json.loads((results / "attacker.json").read_text())["submission"] == "attacker"
