"""A warm worker: started once (inside the sandbox), forks a fresh child for every run.

    python -m autograder.run.worker        (protocol.Job lines on stdin, protocol.RunResult lines on stdout)

Each run of a submission (as written, then on fresh data) is its own job and its own child, so
nothing carries from one run to the other, and the child of the official run never holds the
fresh run's cells or seed: the grader sends those only after the official run has ended.

The worker imports torch and runs one forward/backward/SGD step before its first job, so a child
starts with everything loaded. The worker is non-dumpable (no process of the same user can open
its /proc/<pid>/fd, memory or pipes) and a child subreaper (every process a submission leaves
behind becomes its child, and is killed). A child gets its own session, only its own result pipe
open, no_new_privs, rlimits, a scratch folder, torch on one thread, output cut at a limit and,
where the worker runs as root outside a sandbox, an unprivileged uid of its own. The worker
enforces the wall-clock and memory limits from outside, validates every message the child sends
(protocol.py), and wipes everything writable before the next child.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["MPLBACKEND"] = "Agg"

import ctypes  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from autograder.run.protocol import Job, ProtocolError, RunResult, child_message  # noqa: E402

OUTPUT_CAP = 20_000  # characters of the student's printed output kept with the result
FILE_SIZE_CAP = 64 * 2**20
MEMORY_ERRORS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 4, 36, 38
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")  # where any user may write: wiped after every child
_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option: int, value: int) -> bool:
    return _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0


def warm_up() -> None:
    import torch

    from autograder.spec.constants import LR

    torch.set_num_threads(1)
    net = torch.nn.Linear(2, 1, bias=False)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    loss = torch.nn.MSELoss()(torch.zeros(4, 1), net(torch.ones(4, 2)))
    loss.backward()
    opt.step()
    opt.zero_grad()
    from autograder.run import execute  # noqa: F401  (capture, questions, checks come with it)
    from autograder.run.notebook import transform

    transform("%matplotlib inline\nx = 1\n")  # IPython's transformer, built once here


class _Bounded:
    """stdout/stderr for student code: keeps the first OUTPUT_CAP characters, drops the rest."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    def write(self, text):
        text = str(text)
        room = OUTPUT_CAP - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self) -> str:
        tail = f"\n… [{self.dropped} more characters of output dropped]" if self.dropped else ""
        return "".join(self.parts) + tail


def _vm_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(job: Job, wfd: int, scratch: str, uid: int | None) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        os.setsid()
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, wfd)  # nothing of the worker's stays open: only this run's own pipe
        os.closerange(wfd + 1, 1 << 16)
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        os.chdir(scratch)
        limit = _vm_bytes() + job.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, FILE_SIZE_CAP))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        out = _Bounded()
        sys.stdout = sys.stderr = out
        os.environ["HOME"] = os.environ["TMPDIR"] = scratch
        sys.path.insert(0, scratch)

        me = os.getpid()

        def send(message: dict) -> None:
            if os.getpid() != me:  # a process the notebook forked goes on running cells: it sends nothing
                return
            data = (json.dumps(message) + "\n").encode()
            while data:
                data = data[os.write(wfd, data):]

        def on_error(index, exc):
            text = str(exc)[:300]
            memory = isinstance(exc, MemoryError) or any(m in text for m in MEMORY_ERRORS)
            send({"error": {"cell": index, "type": type(exc).__name__, "message": text, "memory": memory}})

        sent: dict[tuple[str, int], str] = {}  # a value already sent in this run goes as a reference

        def share(question, snapshot):
            data = {}
            for name, value in snapshot.items():
                first = sent.setdefault((name, id(value)), question)
                data[name] = value if first == question else {"kind": "same", "as": first}
            send({"snapshot": {"question": question, "data": data}})

        from autograder.run.execute import run_cells

        run_cells(job.cells, on_error=on_error, on_snapshot=share)  # the job holds this run's cells only
        send({"output": out.text()})
        send({"done": True})
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the worker
        code = 70
    finally:
        os._exit(code)


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _my_children() -> list[int]:
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rindex(b")") + 2:].split()[1]) == me:  # field 4: the parent's pid
                found.append(int(entry))
    return found


def _reap() -> None:
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                return
        except ChildProcessError:
            return


def _kill_leftovers(child: int, sandboxed: bool, uid: int | None) -> None:
    """Kill whatever the run left: the child's session, every process of its uid, and every
    process that was re-parented to us (we are the subreaper), until none is left."""
    try:
        os.killpg(child, signal.SIGKILL)
    except OSError:
        pass
    if uid is not None:  # kill(-1) as that uid reaches every process it owns, setsid or not
        pid = os.fork()
        if pid == 0:
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    me = os.getpid()
    for _ in range(100):
        if sandboxed:  # our own PID namespace: everything but its init and us
            pids = [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) not in (1, me)]
        else:
            pids = _my_children()
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()
        time.sleep(0.001)
    _reap()


def _wipe(scratch: str, sandboxed: bool, uid: int | None) -> None:
    """Leave nothing for the next child: the scratch folder, and what was written where anyone may
    write (all of it in the sandbox's private /tmp and /dev/shm; outside, what the child's uid owns).
    Never descends into another file system (a read-only bind of the project under /tmp)."""
    base = os.path.dirname(scratch)  # this worker's own folder (worker_folder): all of it goes
    device = os.lstat(base).st_dev
    for name in os.listdir(base):
        _remove(os.path.join(base, name), device)
    if not (sandboxed or uid is not None):
        return
    _wipe_sysv_ipc(None if sandboxed else uid)
    for top in SHARED_WRITABLE:
        try:
            device = os.lstat(top).st_dev
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.path != base and (sandboxed or st.st_uid == uid):
                _remove(entry.path, device)


_IPC_RMID = 0
_SYSV = (  # /proc/sysvipc/<kind>, the column of the owner's uid, how to remove one
    ("shm", 7, lambda i: _libc.shmctl(i, _IPC_RMID, None)),
    ("sem", 4, lambda i: _libc.semctl(i, 0, _IPC_RMID)),
    ("msg", 7, lambda i: _libc.msgctl(i, _IPC_RMID, None)),
)


def _wipe_sysv_ipc(uid: int | None) -> None:
    """System V shared memory, semaphores and message queues outlive the process that made them:
    remove every one in the sandbox's IPC namespace (outside it, those of the child's uid)."""
    for kind, uid_column, remove in _SYSV:
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                rows = [line.split() for line in f.readlines()[1:]]
        except OSError:
            continue
        for row in rows:
            if uid is None or int(row[uid_column]) == uid:
                remove(int(row[1]))


def _remove(path: str, device: int) -> None:
    """Remove `path` and what it holds on the same file system; mount points (binds) are kept."""
    try:
        st = os.lstat(path)
    except OSError:
        return
    if st.st_dev != device:
        return
    if not os.path.isdir(path) or os.path.islink(path):
        try:
            os.unlink(path)
        except OSError:
            pass
        return
    try:
        entries = os.listdir(path)
    except OSError:
        return
    for name in entries:
        _remove(os.path.join(path, name), device)
    try:
        os.rmdir(path)
    except OSError:
        pass  # it holds a mount point: the bind stays, and so does the folder above it


_FOLDER: list[str] = []


def worker_folder() -> str:
    """A folder of this worker's own, under TMPDIR, that holds each child's scratch folder; what a
    child writes there (beside its scratch, too) is wiped before the next child."""
    if not _FOLDER:
        _FOLDER.append(tempfile.mkdtemp(prefix="autograder-worker-"))
        os.chmod(_FOLDER[0], 0o711)  # a child with a uid of its own reaches its scratch, lists nothing
    return _FOLDER[0]


def run(job: Job, sandboxed: bool, uid: int | None) -> RunResult:
    """One run in a fresh child, with `job.timeout` seconds and `job.memory_mb` of memory."""
    from autograder.spec.questions import QUESTIONS

    questions = frozenset(QUESTIONS)
    result = RunResult(job=job.job, run=job.run)
    scratch = tempfile.mkdtemp(prefix="submission-", dir=worker_folder())
    if uid is not None:
        os.chown(scratch, uid, uid)
    rfd, wfd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        _child(job, wfd, scratch, uid)
    os.close(wfd)
    os.set_blocking(rfd, False)
    buf, done, status = b"", False, None  # status: the child's wait status, once reaped
    deadline = start + job.timeout
    limit = job.memory_mb * 2**20
    try:
        while not done and result.status == "graded":
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.fail("timeout", f"ran longer than {job.timeout:g} s")
                break
            if status is None:
                reaped, wait_status = os.waitpid(pid, os.WNOHANG)
                status = wait_status if reaped else None
            # the run ends when the child says done or exits: a process it forked that keeps
            # the pipe open does not hold it up
            ready, _, _ = select.select([rfd], [], [], 0 if status is not None else min(0.05, remaining))
            chunk = b""
            if ready:
                try:
                    chunk = os.read(rfd, 1 << 20)
                except BlockingIOError:
                    pass
                buf += chunk
                *lines, buf = buf.split(b"\n")
                if len(buf) > 8 * 2**20:
                    lines, buf = [buf], b""
                for line in lines:
                    done = _take(result, line, questions) or done
                if not chunk and status is None:  # it closed its pipe but runs on: wait for it
                    time.sleep(0.01)
            if status is not None and not chunk:  # it ended, and we have read all it wrote
                break
            if status is None and _rss_bytes(pid) > limit:
                result.fail("memory", f"used more than {job.memory_mb} MB")
    finally:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if status is None:
            _, status = os.waitpid(pid, 0)
        os.close(rfd)
        _kill_leftovers(pid, sandboxed, uid)
        _wipe(scratch, sandboxed, uid)
    result.seconds = round(time.monotonic() - start, 3)
    if result.status == "graded" and not done:
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            result.fail("crashed", f"the kernel died ({name})")
        else:
            result.fail("crashed", f"the notebook ended the process (exit status {os.WEXITSTATUS(status)})")
    if any(e.memory for e in result.errors):
        result.fail("memory", f"a cell ran out of memory (limit {job.memory_mb} MB)")
    return result


def _take(result: RunResult, line: bytes, questions: frozenset[str]) -> bool:
    """Apply one message from the child to the result; True when it says the run is done."""
    if result.status != "graded":
        return False
    try:
        kind, body = child_message(line, questions)
    except ProtocolError as e:
        result.fail("crashed", f"the notebook's process sent a malformed message ({e})")
        return False
    if kind == "snapshot":
        question, data = body
        result.snapshots[question] = data
    elif kind == "error" and len(result.errors) < 1000:
        result.errors.append(body)
    elif kind == "output":
        result.output = body[: OUTPUT_CAP + 200]
    return kind == "done"


def main() -> int:
    sandboxed = os.environ.get("AUTOGRADER_SANDBOXED") == "1"
    uid = int(os.environ["AUTOGRADER_CHILD_UID"]) if os.environ.get("AUTOGRADER_CHILD_UID") else None
    prctl(PR_SET_DUMPABLE, 0)  # children of the same user cannot open our /proc/<pid>/fd or memory
    prctl(PR_SET_CHILD_SUBREAPER, 1)  # what a submission leaves behind becomes ours to kill
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    warm_up()
    # what exists now (torch, the grader's modules) is never collected: a child's garbage collector
    # then does not write to every object's header, which would copy each page of the parent it forked
    gc.collect()
    gc.freeze()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # nothing but results goes to the protocol stream
    sys.stdout = sys.stderr
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = Job.from_json(line)
        except (ValueError, KeyError, TypeError) as e:
            answer = RunResult(job="", run=-1, status="crashed", reason=f"a malformed job ({e})"[:300])
        else:
            try:
                answer = run(job, sandboxed, uid)
            except Exception as e:  # noqa: BLE001 - the worker answers every job, and lives on
                answer = RunResult(job=job.job, run=job.run, status="crashed",
                                   reason=f"the worker failed to run this notebook ({type(e).__name__}: {e})"[:300])
        out.write(answer.to_json() + "\n")
        out.flush()
    if _FOLDER:
        shutil.rmtree(_FOLDER[0], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
