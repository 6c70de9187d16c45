"""The sandbox the workers run in: bubblewrap, an established tool, not one of our own.

Inside: the whole file system read-only, a private /tmp, no network, its own PID namespace
(so the worker can kill anything a submission leaves behind), and death with the grader.
Where bubblewrap is missing or cannot create namespaces, grading goes on unsandboxed, loudly.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

BWRAP_ARGS = [
    "--ro-bind", "/", "/",
    "--dev", "/dev",
    "--proc", "/proc",
    "--tmpfs", "/tmp",
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--die-with-parent",
    "--new-session",
    "--setenv", "AUTOGRADER_SANDBOXED", "1",
    "--setenv", "TMPDIR", "/tmp",
]

WARNING = (
    "WARNING: bubblewrap (bwrap) is not available, so student code runs WITHOUT a sandbox: it can read and "
    "write your files and reach the network. Install it (Debian/Ubuntu: apt-get install bubblewrap) before "
    "grading real submissions."
)


@functools.lru_cache(maxsize=1)
def bwrap_problem() -> str | None:
    """None when bubblewrap works here, else why not."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "bwrap is not installed"
    try:
        proc = subprocess.run([bwrap, *BWRAP_ARGS, "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap failed to start: {e}"
    return None if proc.returncode == 0 else f"bwrap cannot create a sandbox here: {proc.stderr.strip()[:200]}"


def _visible(paths: list[str]) -> list[str]:
    """Read-only binds for the paths the worker needs that the private /tmp would hide
    (a project or virtual environment checked out under /tmp, as CI does)."""
    args: list[str] = []
    for p in sorted({os.path.realpath(p) for p in paths if p}):
        if p == "/tmp" or p.startswith("/tmp/"):
            args += ["--ro-bind-try", p, p]
    return args


def worker_command(sandbox: bool = True, needs: list[str] = ()) -> tuple[list[str], bool]:
    """The command that starts one worker, and whether it is sandboxed."""
    python = [sys.executable, "-m", "autograder.worker"]
    if sandbox and bwrap_problem() is None:
        needs = [*needs, sys.prefix, sys.base_prefix, os.path.dirname(sys.executable), *sys.path]
        return [shutil.which("bwrap"), *BWRAP_ARGS, *_visible(needs), *python], True
    return python, False
