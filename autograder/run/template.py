"""The template: a process forked from the warm worker before its first job, that forks every run.

The worker (run/worker.py) reads jobs, talks to the grader and holds the previous runs' results;
a child forked from it could read those out of its memory, or walk its frames to them. So no run
is forked from the worker: each is forked from this template, which has never seen a job. It
hears only "start a run" with two pipe ends (the run reads its job from one, after the fork, and
writes its messages to the other, both straight to the worker) and answers with the run's pid, and
later with its exit status. It is a child subreaper, so whatever a run leaves behind becomes its
child, and it reaps every one. It dies with the worker.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import struct
import time
from typing import Callable

# b"p" pid 0 seconds: the run started, the fork took this much of the template's CPU;
# b"x" pid status seconds: it ended, having used this much CPU (the kernel's count, from wait4)
RECORD = struct.Struct("=ciid")
REQUEST = struct.Struct("=qB")  # the run's uid (-1: keep ours), confined (0/1); then its legacy scratch path


class Template:
    """The worker's handle on its template process."""

    def __init__(self, child: Callable[[int, int, int | None, bool, str], None], prctl: Callable[[int, int], bool]):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:
            ours.close()
            _serve(theirs, child, prctl)  # never returns
        theirs.close()
        self.sock = ours
        self.exits: dict[int, int] = {}  # pid -> wait status, for runs that ended
        self.cpu: dict[int, tuple[float, float]] = {}  # pid -> CPU seconds of its fork (the template's), of the run

    def spawn(self, job_fd: int, result_fd: int, uid: int | None, confined: bool, scratch: str) -> int | None:
        """Start a run; its pid, or None if the template is gone."""
        try:
            message = REQUEST.pack(-1 if uid is None else uid, int(confined)) + scratch.encode()
            socket.send_fds(self.sock, [message], [job_fd, result_fd])
            while True:
                kind, pid, status = self._record(block=True)
                if kind == b"p":
                    return pid
        except (OSError, ValueError, struct.error):
            return None

    def _record(self, block: bool) -> tuple[bytes, int, int]:
        data = self.sock.recv(RECORD.size) if block else self.sock.recv(RECORD.size, socket.MSG_DONTWAIT)
        if not data:
            raise OSError("the template ended")
        kind, pid, status, seconds = RECORD.unpack(data)
        if kind == b"x":
            self.exits[pid] = status
        fork, run = self.cpu.get(pid, (0.0, 0.0))
        self.cpu[pid] = (seconds, run) if kind == b"p" else (fork, seconds)
        return kind, pid, status

    def drain(self) -> bool:
        """Take what the template said (exit statuses); False if it has ended."""
        try:
            while True:
                self._record(block=False)
        except BlockingIOError:
            return True
        except (OSError, struct.error):
            return False

    def close(self) -> None:
        self.sock.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def _serve(sock: socket.socket, child: Callable, prctl: Callable[[int, int], bool]) -> None:
    """The template's loop: fork a run on request, reap every process that ends, say who ended how."""
    PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
    try:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        prctl(PR_SET_CHILD_SUBREAPER, 1)
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        runs: set[int] = set()
        while True:
            ready, _, _ = select.select([sock, wake_r], [], [])
            if wake_r in ready:
                os.read(wake_r, 4096)
            while True:  # reap everything that ended: runs, and what they left behind
                try:
                    pid, status, usage = os.wait4(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                if pid in runs:
                    runs.discard(pid)
                    sock.send(RECORD.pack(b"x", pid, status, usage.ru_utime + usage.ru_stime))
            if sock in ready:
                message, fds, _, _ = socket.recv_fds(sock, 4096, 2)
                if not message:
                    os._exit(0)
                uid, confined = REQUEST.unpack(message[:REQUEST.size])
                scratch = message[REQUEST.size:].decode()
                before = time.thread_time()
                pid = os.fork()
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    sock.close()
                    os.close(wake_r)
                    os.close(wake_w)
                    child(fds[0], fds[1], None if uid < 0 else uid, bool(confined), scratch)  # never returns
                for fd in fds:
                    os.close(fd)
                runs.add(pid)
                sock.send(RECORD.pack(b"p", pid, 0, time.thread_time() - before))
    except BaseException:  # noqa: BLE001 - the template must never return into the worker's code
        pass
    os._exit(0)
