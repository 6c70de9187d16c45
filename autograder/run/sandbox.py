"""The sandbox the workers run in: bubblewrap, an established tool, not one of our own.

Inside, student code sees a minimal, read-only file system: the system directories, the
Python installation and the autograder package. Not the reference solution, not the other
students' notebooks, not the output folder, not anyone's home. It gets a private /tmp, no
network, its own PID namespace (so the worker can kill anything a submission leaves behind),
and it dies with the grader. Where bubblewrap is missing or cannot create namespaces,
grading refuses to start unless the TA says `--no-sandbox`.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the whole autograder package

NO_SANDBOX = (
    "bubblewrap (bwrap) does not work here, and without it student code could read and write your files "
    "and reach the network, so nothing was graded.\n"
    "- Debian/Ubuntu: sudo apt-get install bubblewrap (Fedora: dnf install bubblewrap; Arch: pacman -S bubblewrap)\n"
    "- macOS or Windows: grade inside Linux: WSL2 on Windows, or a Linux container "
    "(docker run --privileged, or podman, with bubblewrap installed)\n"
    "- to grade without a sandbox anyway (only notebooks you trust, e.g. the bundled examples): --no-sandbox"
)


def _system() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr", "--ro-bind-try", "/etc", "/etc"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return args


def student_readable() -> set[str]:
    """What student code must read: the Python installation and the autograder package (never
    the project around it: not the reference, not the tests)."""
    return {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(), str(PACKAGE),
            os.path.dirname(sys.executable)}


def _python_binds() -> list[str]:
    """The Python installation and the autograder package, read-only, at their real paths and at
    the paths the interpreter is started by (a venv or interpreter reached through a symlink)."""
    binds: dict[str, str] = {}
    for path in student_readable():
        real = os.path.realpath(path)
        binds[real] = real
        binds[os.path.abspath(path)] = real
    args, made = [], {"/"}
    for dest in sorted(binds):  # parents before children
        # the folders above a bind, made by bubblewrap, open to every uid (else 0700): a run has a
        # uid of its own (run/confine.py) and must pass through them to its Python
        for depth in range(1, dest.count("/")):
            parent = "/" + "/".join(dest.split("/")[1:depth + 1])
            if parent not in made and parent not in binds and not os.path.islink(parent):
                args += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        args += ["--ro-bind-try", binds[dest], dest]
    return args


def bwrap_args() -> list[str]:
    """Everything the worker may see, read-only, and the namespaces it lives in."""
    return [
        *_system(),
        "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
        *_python_binds(),
        "--chdir", "/tmp",
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        # the worker is the namespace's init: no other process there holds the grader's pipes, and
        # nothing inside can signal it. Of root's capabilities it keeps only what it needs to give
        # each run a uid of its own and to end that run's processes (run/confine.py); a run has none
        "--as-pid-1", "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL",
        "--die-with-parent", "--new-session",
        "--setenv", "AUTOGRADER_SANDBOXED", "1", "--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", "/tmp",
    ]


@functools.lru_cache(maxsize=1)
def bwrap_problem() -> str | None:
    """None when bubblewrap works here, else why not."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "bwrap is not installed"
    try:
        proc = subprocess.run([bwrap, *bwrap_args(), sys.executable, "-c", "pass"],
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap failed to start: {e}"
    return None if proc.returncode == 0 else f"bwrap cannot run Python here: {proc.stderr.strip()[-300:]}"


def worker_command(sandbox: bool = True) -> tuple[list[str], bool]:
    """The command that starts one worker, and whether it is sandboxed."""
    python = [sys.executable, "-m", "autograder.run.worker"]
    if sandbox and bwrap_problem() is None:
        return [shutil.which("bwrap"), *bwrap_args(), *python], True
    return python, False
