"""A warm worker: started once (inside the sandbox), starts a fresh process for every run.

    python -m autograder.run.worker        (protocol.Job lines on stdin, protocol.RunResult lines on stdout)

Each run of a submission (as written, then on fresh data) is its own job and its own process, so
nothing carries from one run to the other, and the process of the official run never holds the
fresh run's cells or seed: the grader sends those only after the official run has ended.

The worker imports torch and runs one forward/backward/SGD step, then forks the template
(template.py), which forks every run: a run starts with everything loaded and nothing of any
earlier job in its memory. The worker is non-dumpable. A run gets its own session, only its own
two pipes, a world of its own (confine.py: its own uid, namespaces, read-only mounts and tmpfs,
no capabilities, seccomp), rlimits, torch on one thread and output cut at a limit. The worker
enforces the wall-clock, memory and CPU limits from outside, over all of the run's processes,
validates every message the run sends (protocol.py), and kills every process it leaves. Where a
world of its own cannot be made, the older layers apply: a scratch folder wiped after each run,
and (as root outside a sandbox) one unprivileged uid for every run.
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
from dataclasses import dataclass  # noqa: E402

from autograder.run import confine  # noqa: E402
from autograder.run.protocol import MAX_ERROR_TEXT, Job, ProtocolError, RunResult, child_message  # noqa: E402
from autograder.run.sandbox import student_readable  # noqa: E402
from autograder.run.template import Template  # noqa: E402
from autograder.run.timing import Parts  # noqa: E402

OUTPUT_CAP = 20_000  # characters of the student's printed output kept with the result
FILE_SIZE_CAP = 64 * 2**20
MEMORY_ERRORS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")  # not confined: where any user may write, wiped after every child
RUN_TASKS = 64  # processes and threads one run may have at once (its uid is its own)
USAGE_EVERY = 0.1  # seconds between two looks at all of a run's processes
CORES_PER_RUN, CPU_GRACE = 1.0, 1.0  # a run whose processes keep more than one core busy is stopped
CONFINE_FAILED = 71  # the exit status of a run whose world could not be made
NEEDED = sorted(student_readable())  # bound back for a confined run whose uid could not reach them
# the grading side of the package, hidden from a confined run: nothing there may compute a graded
# value for a notebook (judge/loops.py solves the training loops); a run imports only run/, engine/, spec/
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HIDDEN = [os.path.join(_PACKAGE, part) for part in ("judge", "batch", "report", "otter", "build")] + [
    os.path.join(os.path.dirname(_PACKAGE), "solutions")]  # the reference, where the project is on disk (--no-sandbox)


_libc = ctypes.CDLL(None, use_errno=True)


def tmpfs_mb(memory_mb: int) -> int:
    """The size of a confined run's one writable file system: part of its memory limit."""
    return max(16, min(confine.TMPFS_MB, memory_mb // 8))


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


def _read_job(fd: int) -> Job:
    """The run's job, read after the fork from its own pipe (the template never holds it)."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    os.close(fd)
    return Job.from_json(b"".join(chunks).decode())


def _child(job_fd: int, wfd: int, uid: int | None, confined: bool, scratch: str) -> None:
    """Runs in the run's process, forked from the template; never returns."""
    code = 0
    try:
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        keep = sorted((job_fd, wfd))  # nothing of the worker's or the template's stays open
        os.closerange(3, keep[0])
        os.closerange(keep[0] + 1, keep[1])
        os.closerange(keep[1] + 1, 1 << 16)
        job = _read_job(job_fd)
        if confined:
            try:
                scratch = confine.confine(uid, NEEDED, tmpfs_mb(job.memory_mb), HIDDEN)
            except BaseException:  # noqa: BLE001 - no world of its own: the run must not start
                os._exit(CONFINE_FAILED)
            resource.setrlimit(resource.RLIMIT_NPROC, (RUN_TASKS, RUN_TASKS))
        elif uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after any change of uid, which clears it
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
        sys.path[:] = [scratch] + [p for p in sys.path if p and os.path.abspath(p) != os.path.abspath(scratch)]

        me = os.getpid()

        def send(message: dict) -> None:
            if os.getpid() != me:  # a process the notebook forked goes on running cells: it sends nothing
                return
            data = (json.dumps(message) + "\n").encode()
            while data:
                data = data[os.write(wfd, data):]

        def on_error(index, exc):
            from autograder.run.execute import Skipped

            text = str(exc)[:MAX_ERROR_TEXT]
            memory = isinstance(exc, MemoryError) or any(m in text for m in MEMORY_ERRORS)
            send({"error": {"cell": index, "type": type(exc).__name__, "message": text, "memory": memory,
                            "skipped": type(exc) is Skipped}})

        sent: dict[tuple[str, int], str] = {}  # a value already sent in this run goes as a reference

        def share(question, snapshot):
            data = {}
            for name, value in snapshot.items():
                first = sent.setdefault((name, id(value)), question)
                data[name] = value if first == question else {"kind": "same", "as": first}
            send({"snapshot": {"question": question, "data": data}})

        from autograder.run.execute import run_cells
        from autograder.run.notebook import syntax_problem

        problem = syntax_problem(job.cells)
        if problem:
            send({"invalid": problem})
            send({"done": True})
            return
        parts = Parts(time.process_time)
        parts.add("setup", time.process_time())  # this process's CPU from its fork to here
        run_cells(job.cells, on_error=on_error, on_snapshot=share, parts=parts)  # the job holds this run's cells only
        with parts.part("capture"):
            send({"output": out.text()})
        send({"timing": parts.spent})
        send({"done": True})
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the template
        code = 70
    finally:
        os._exit(code)


@dataclass
class Usage:
    """What a run's processes (all of them: every descendant of the template) hold right now."""

    pids: list[int]
    memory: int  # bytes: the run's own resident memory (the warm state it started with counted once)
    cpu: float  # seconds of CPU the live processes have used


def _usage(template: int, base_rss: int) -> Usage:
    """Walk /proc once: the template's descendants, their resident memory and CPU time."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, float]] = {}
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)  # field 4: the parent
        stats[pid] = (int(fields[21]) * page, (int(fields[11]) + int(fields[12])) / tick)  # rss, utime + stime
    found, todo = [], list(children.get(template, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    rss = [stats[p][0] for p in found if p in stats]
    memory = max(rss, default=0) + sum(max(0, r - base_rss) for r in sorted(rss)[:-1]) if rss else 0
    return Usage(found, memory, sum(stats[p][1] for p in found if p in stats))


def _kill_all(template: Template) -> bool:
    """Kill every descendant of the template until none is left (it reaps them); False if some
    process of the run could not be ended: the worker is then not fit for another run."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pids = _usage(template.pid, 0).pids
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.002)
    return False


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


@dataclass
class Mode:
    """How this worker starts its runs: fixed when it starts (main)."""

    sandboxed: bool  # inside bubblewrap
    confined: bool  # each run in a world of its own (confine.py); else the legacy scratch-and-wipe
    may_setuid: bool  # each run gets a uid of its own (root, or the sandbox's CAP_SETUID)
    legacy_uid: int | None  # not confined: the one unprivileged uid every run gets (AUTOGRADER_CHILD_UID)
    template: Template
    base_rss: int  # the template's resident memory: what every run starts with, counted once


def run(job: Job, mode: Mode) -> RunResult:
    """One run in a fresh process forked from the template, with `job.timeout` seconds, and
    `job.memory_mb` of memory for all its processes and files together."""
    from autograder.spec.questions import QUESTIONS

    questions = frozenset(QUESTIONS)
    result = RunResult(job=job.job, run=job.run)
    parts = Parts(time.process_time)
    if mode.confined:
        uid, scratch = confine.run_uid(mode.may_setuid), ""
        limit = (job.memory_mb - tmpfs_mb(job.memory_mb)) * 2**20  # its files are bounded apart
    else:
        uid, scratch = mode.legacy_uid, tempfile.mkdtemp(prefix="submission-", dir=worker_folder())
        limit = job.memory_mb * 2**20
        if uid is not None:
            os.chown(scratch, uid, uid)
    job_r, job_w = os.pipe()
    rfd, wfd = os.pipe()
    start = time.monotonic()
    pid = mode.template.spawn(job_r, wfd, uid, mode.confined, scratch)
    os.close(job_r)
    os.close(wfd)
    if pid is None:
        os.close(job_w)
        os.close(rfd)
        raise Retire("the worker's template process ended")
    pending = job.to_json().encode()
    os.set_blocking(job_w, False)
    os.set_blocking(rfd, False)
    buf, done, status = b"", False, None  # status: the child's wait status, once reaped
    deadline = start + job.timeout
    checked = start
    try:
        while not done and result.status == "graded":
            now = time.monotonic()
            remaining = deadline - now
            if remaining <= 0:
                result.fail("timeout", f"ran longer than {job.timeout:g} s")
                break
            if status is None:
                if not mode.template.drain():
                    raise Retire("the worker's template process ended")
                status = mode.template.exits.pop(pid, None)
            # the run ends when the child says done or exits: a process it forked that keeps
            # the pipe open does not hold it up
            reads = [rfd] if status is not None else [rfd, mode.template.sock]
            ready, writable, _ = select.select(reads, [job_w] if pending else [], [],
                                               0 if status is not None else min(0.05, remaining))
            if writable:
                try:
                    pending = pending[os.write(job_w, pending[:1 << 16]):]
                except (BlockingIOError, BrokenPipeError):
                    pending = pending if status is None else b""
                if not pending:
                    os.close(job_w)
                    job_w = -1
            chunk = b""
            if rfd in ready:
                try:
                    chunk = os.read(rfd, 1 << 20)
                except BlockingIOError:
                    pass
                buf += chunk
                *lines, buf = buf.split(b"\n")
                if len(buf) > 8 * 2**20:
                    lines, buf = [buf], b""
                with parts.part("messages"):
                    for line in lines:
                        done = _take(result, line, questions) or done
                if not chunk and status is None:  # it closed its pipe but runs on: wait for it
                    time.sleep(0.01)
            if status is not None and not chunk:  # it ended, and we have read all it wrote
                break
            if status is None and now - checked > USAGE_EVERY:
                checked = now
                usage = _usage(mode.template.pid, mode.base_rss)
                if usage.memory > limit:
                    result.fail("memory", f"used more than {job.memory_mb} MB")
                elif usage.cpu > (now - start) * CORES_PER_RUN + CPU_GRACE:
                    result.fail("timeout", f"kept more than one core busy ({len(usage.pids)} processes)")
    finally:
        with parts.part("cleanup"):
            if job_w >= 0:
                os.close(job_w)
            os.close(rfd)
            cleaned = _kill_all(mode.template)
            if status is None:
                status = _exit_status(mode.template, pid)
            if not mode.confined:
                _wipe(scratch, mode.sandboxed, uid)
    result.seconds = round(time.monotonic() - start, 3)
    fork, cpu = mode.template.cpu.pop(pid, (0.0, 0.0))
    child = {k: v for k, v in result.timing.items() if k.startswith("child_")}  # what the run said of itself
    result.timing = {**child, "fork": fork, "child": cpu, **parts.spent}
    if result.status == "graded" and not done:
        if status is None:
            result.fail("crashed", "the notebook's process could not be followed to its end")
        elif os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
            result.fail("crashed", f"the kernel died ({name})")
        else:
            code = os.WEXITSTATUS(status)
            result.fail("crashed", "the run's sandbox could not be made" if code == CONFINE_FAILED
                        else f"the notebook ended the process (exit status {code})")
    if any(e.memory for e in result.errors):
        result.fail("memory", f"a cell ran out of memory (limit {job.memory_mb} MB)")
    if not cleaned:
        result.fail("crashed", "the notebook left processes that could not be ended")
        raise Retire("a run left processes that could not be ended", result)
    return result


class Retire(Exception):
    """This worker is not fit for another run: answer this one (`result`, if any) and end, so
    that the grader starts a fresh worker for the next submission."""

    def __init__(self, why: str, result: RunResult | None = None):
        super().__init__(why)
        self.result = result


def _exit_status(template: Template, pid: int) -> int | None:
    """The run's wait status, once the template has reaped it (it has been killed by now)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if pid in template.exits:
            return template.exits.pop(pid)
        select.select([template.sock], [], [], 0.05)
        if not template.drain():
            return None
    return None


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
    elif kind == "invalid":
        result.fail("invalid", body)
    elif kind == "timing":
        result.timing.update({f"child_{k}": v for k, v in body.items()})
    return kind == "done"


def _confinement_problem(template: Template, may_setuid: bool) -> str:
    """Start one empty confined run: "" when it works here, else why not."""
    job_r, job_w = os.pipe()
    rfd, wfd = os.pipe()
    pid = template.spawn(job_r, wfd, confine.run_uid(may_setuid), True, "")
    os.close(job_r)
    os.close(wfd)
    os.write(job_w, Job(job="probe", run=0, cells=["pass"], timeout=10, memory_mb=512).to_json().encode())
    os.close(job_w)
    while os.read(rfd, 1 << 16):
        pass
    os.close(rfd)
    status = _exit_status(template, pid) if pid is not None else None
    template.cpu.pop(pid, None)
    if status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return ""
    return "the kernel does not let a run make its own namespaces here (user namespaces off, or no mount_setattr)"


def main() -> int:
    sandboxed = os.environ.get("AUTOGRADER_SANDBOXED") == "1"
    legacy_uid = int(os.environ["AUTOGRADER_CHILD_UID"]) if os.environ.get("AUTOGRADER_CHILD_UID") else None
    want_confined = os.environ.get("AUTOGRADER_CONFINE", "1") != "0"  # "0": tests' positive controls only
    prctl(PR_SET_DUMPABLE, 0)  # children of the same user cannot open our /proc/<pid>/fd or memory
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    warm_up()
    # what exists now (torch, the grader's modules) is never collected: a child's garbage collector
    # then does not write to every object's header, which would copy each page of the parent it forked
    gc.collect()
    gc.freeze()
    template = Template(_child, prctl)  # forked now, before any job: it never sees one
    may_setuid = _may_setuid()
    why = _confinement_problem(template, may_setuid) if want_confined else "turned off (AUTOGRADER_CONFINE=0)"
    mode = Mode(sandboxed=sandboxed, confined=not why, may_setuid=may_setuid, legacy_uid=legacy_uid,
                template=template, base_rss=_rss_of(template.pid))
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # nothing but results goes to the protocol stream
    sys.stdout = sys.stderr
    mark = time.process_time()  # the warm-up's CPU: torch, the template, the probe
    out.write(json.dumps({"ready": True, "confined": mode.confined, "why": why, "warm_up": mark}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        retire = False
        try:
            job = Job.from_json(line)
        except (ValueError, KeyError, TypeError) as e:
            answer = RunResult(job="", run=-1, status="crashed", reason=f"a malformed job ({e})"[:300])
        else:
            try:
                answer = run(job, mode)
            except Retire as e:
                retire = True
                answer = e.result or RunResult(job=job.job, run=job.run, status="crashed", reason=str(e)[:300])
            except Exception as e:  # noqa: BLE001 - the worker answers every job, and lives on
                answer = RunResult(job=job.job, run=job.run, status="crashed",
                                   reason=f"the worker failed to run this notebook ({type(e).__name__}: {e})"[:300])
        answer.retire = retire
        now = time.process_time()  # all of this process's CPU since the last answer was made: this job's
        answer.timing["worker"], mark = now - mark, now
        out.write(answer.to_json() + "\n")
        out.flush()
        if retire:
            break
    template.close()
    if _FOLDER:
        shutil.rmtree(_FOLDER[0], ignore_errors=True)
    return 0


def _rss_of(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _may_setuid() -> bool:
    """Whether this process may give each run a uid of its own (root, or CAP_SETUID and CAP_SETGID)."""
    with open("/proc/self/status") as f:
        caps = next(int(line.split()[1], 16) for line in f if line.startswith("CapEff:"))
    CAP_SETGID, CAP_SETUID = 6, 7
    return bool(caps >> CAP_SETUID & 1 and caps >> CAP_SETGID & 1)


if __name__ == "__main__":
    raise SystemExit(main())
