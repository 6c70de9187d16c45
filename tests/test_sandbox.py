"""The sandbox is a real one: student code cannot write outside its scratch folder or reach the network."""

import os
import socket
import threading
from pathlib import Path

import pytest

import mutants
from autograder.batch import Options, grade
from autograder.sandbox import bwrap_problem
from conftest import ROOT

ATTACK = """
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

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return server, heard, stop


def attack(tmp_path, sandbox: bool, tag: str):
    targets = [ROOT / f"pwned-{tag}-{os.getpid()}.txt", Path.home() / f"pwned-{tag}-{os.getpid()}.txt"]
    server, heard, stop = listener()
    try:
        code = ATTACK.format(targets=[str(t) for t in targets], port=server.getsockname()[1])
        nb = mutants.with_cell(code, after="import numpy as np")
        folder = tmp_path / tag
        folder.mkdir()
        import nbformat

        nbformat.write(nb, folder / "attack.ipynb")
        grade([str(folder)], tmp_path / f"out-{tag}", Options(jobs=1, sandbox=sandbox), log=lambda m: None)
        written = [t for t in targets if t.exists()]
        return written, list(heard)
    finally:
        stop.set()
        server.close()
        for t in targets:
            if t.exists():
                t.unlink()


def test_the_attack_works_without_a_sandbox(tmp_path):
    written, heard = attack(tmp_path, sandbox=False, tag="open")
    assert len(written) == 2 and heard, "the attack must be real for the sandbox test to mean anything"


@pytest.mark.skipif(bwrap_problem() is not None, reason=f"bubblewrap unavailable: {bwrap_problem()}")
def test_in_the_sandbox_it_changes_nothing_and_reaches_nothing(tmp_path):
    written, heard = attack(tmp_path, sandbox=True, tag="boxed")
    assert written == [] and heard == []
