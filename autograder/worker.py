"""A warm worker: started once (inside the sandbox), forks a fresh child per submission.

    python -m autograder.worker        (JSON lines: jobs on stdin, results on stdout)

A job lists its runs (the submission as written, then on fresh data); both run in the job's one
child, each in a clean namespace; a notebook that stops the seed from changing the data is caught
by the judge (grading.grade_submission), not here.

The worker imports torch and runs one forward/backward/SGD step before its first job, so a
child starts with everything loaded. Each child gets its own session, a scratch folder that
holds only its submission, rlimits, torch capped at one thread, and output cut at a limit.
The worker enforces the wall-clock and memory limits from outside the child, kills whatever
the child left running, and wipes the scratch. Only plain-data snapshots leave the child.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["MPLBACKEND"] = "Agg"

import json  # noqa: E402
import resource  # noqa: E402
import select  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

OUTPUT_CAP = 20_000  # characters of the student's printed output kept with the result
FILE_SIZE_CAP = 64 * 2**20
MEMORY_ERRORS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")


def warm_up() -> None:
    import torch

    torch.set_num_threads(1)
    net = torch.nn.Linear(2, 1, bias=False)
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = torch.nn.MSELoss()(torch.zeros(4, 1), net(torch.ones(4, 2)))
    loss.backward()
    opt.step()
    opt.zero_grad()
    from IPython.core.inputtransformer2 import TransformerManager

    TransformerManager().transform_cell("%matplotlib inline\nx = 1\n")
    from . import execute  # noqa: F401  (capture, questions, checks come with it)


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


def _child(job: dict, wfd: int, scratch: str) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        os.setsid()
        os.chdir(scratch)
        with open(os.path.join(scratch, job["name"]), "w", encoding="utf-8") as f:
            f.write(job.get("notebook", ""))
        limit = _vm_bytes() + job["memory_mb"] * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, FILE_SIZE_CAP))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        out = _Bounded()
        sys.stdout = sys.stderr = out
        os.environ["HOME"] = os.environ["TMPDIR"] = scratch
        sys.path.insert(0, scratch)

        def send(message: dict) -> None:
            data = (json.dumps(message) + "\n").encode()
            while data:
                data = data[os.write(wfd, data):]

        def on_error(run, index, exc):
            text = str(exc)[:300]
            memory = isinstance(exc, MemoryError) or any(m in text for m in MEMORY_ERRORS)
            send({"error": {"run": run, "cell": index, "type": type(exc).__name__, "message": text,
                            "memory": memory}})

        from .execute import run_cells

        for number, cells in enumerate(job["runs"]):
            if cells is None or number < job.get("first", 0):
                continue
            _reset(scratch)
            send({"run": number})
            sent: dict[tuple[str, int], str] = {}  # a value already sent in this run goes as a reference

            def share(question, snapshot, number=number, sent=sent):
                data = {}
                for name, value in snapshot.items():
                    first = sent.setdefault((name, id(value)), question)
                    data[name] = value if first == question else {"kind": "same", "as": first}
                send({"snapshot": question, "run": number, "data": data})

            run_cells(cells, on_error=lambda i, e: on_error(number, i, e), on_snapshot=share)
        send({"output": out.text()})
        send({"done": True})
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the worker
        code = 70
    finally:
        os._exit(code)


def _reset(scratch: str) -> None:
    """Between the two runs in one child: the global state a notebook may have changed."""
    import torch

    os.chdir(scratch)
    torch.set_default_dtype(torch.float32)
    torch.set_grad_enabled(True)


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
    return 0


def _kill_leftovers(child: int, sandboxed: bool) -> None:
    """Kill the child's session; in the sandbox's own PID namespace, everything but us."""
    try:
        os.killpg(child, signal.SIGKILL)
    except OSError:
        pass
    if not sandboxed:
        return
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in (1, me):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass
    while True:  # reap
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                break
        except ChildProcessError:
            break


def run_job(job: dict, sandboxed: bool) -> dict:
    """Run a submission's runs (as written, then on fresh data) in one fresh child, each in a
    clean namespace with `timeout` seconds of its own. A run the child never reached (the
    first one hung, crashed or exited) gets a child of its own: every run is always attempted."""
    result = _run_child(job, sandboxed, first=0)
    for number, cells in enumerate(job["runs"]):
        if cells is not None and result["runs"][number] is None and number > 0:
            later = _run_child(job, sandboxed, first=number)
            result["runs"][number] = later["runs"][number]
            result["seconds"] = round(result["seconds"] + later["seconds"], 3)
    return result


def _run_child(job: dict, sandboxed: bool, first: int) -> dict:
    scratch = tempfile.mkdtemp(prefix="submission-")
    rfd, wfd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        _child({**job, "first": first}, wfd, scratch)
    os.close(wfd)
    runs: list = [None] * len(job["runs"])
    result = {"runs": runs, "output": "", "status": "graded", "reason": ""}
    buf, done, killed = b"", False, None
    deadline = start + job["timeout"]
    limit = job["memory_mb"] * 2**20
    status = None
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed = ("timeout", f"ran longer than {job['timeout']:g} s")
                break
            ready, _, _ = select.select([rfd], [], [], min(0.05, remaining))
            if ready:
                chunk = os.read(rfd, 1 << 20)
                if not chunk:
                    break
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    try:
                        msg = json.loads(line)
                        number = int(msg.get("run", 0))
                    except (ValueError, TypeError):
                        continue
                    if not 0 <= number < len(runs):
                        continue
                    if "snapshot" in msg:
                        runs[number]["snapshots"][str(msg["snapshot"])] = msg["data"]
                    elif "error" in msg:
                        runs[number]["errors"].append(msg["error"])
                    elif "output" in msg:
                        result["output"] = str(msg["output"])[: OUTPUT_CAP + 200]
                    elif msg.get("done"):
                        done = True
                    elif set(msg) == {"run"}:  # a run begins: it gets its own time
                        runs[number] = {"snapshots": {}, "errors": []}
                        deadline = time.monotonic() + job["timeout"]
            if _rss_bytes(pid) > limit:
                killed = ("memory", f"used more than {job['memory_mb']} MB")
                break
    finally:
        if killed:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        _, status = os.waitpid(pid, 0)
        os.close(rfd)
        _kill_leftovers(pid, sandboxed)
        shutil.rmtree(scratch, ignore_errors=True)
        if sandboxed:
            tmp = tempfile.gettempdir()
            for entry in os.listdir(tmp):
                p = os.path.join(tmp, entry)
                shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else _unlink(p)
    result["seconds"] = round(time.monotonic() - start, 3)
    if runs[first] is None:
        runs[first] = {"snapshots": {}, "errors": []}
    errors = [e for run in runs if run for e in run["errors"]]
    if killed:
        result["status"], result["reason"] = killed
    elif os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        result["status"], result["reason"] = "crashed", f"the kernel died ({name})"
    elif not done:
        result["status"] = "crashed"
        result["reason"] = f"the notebook ended the process (exit status {os.WEXITSTATUS(status)})"
    elif any(e.get("memory") for e in errors):
        result["status"], result["reason"] = "memory", f"a cell ran out of memory (limit {job['memory_mb']} MB)"
    return result


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def main() -> int:
    sandboxed = os.environ.get("AUTOGRADER_SANDBOXED") == "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    warm_up()
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but results goes to the protocol stream
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        result = run_job(job, sandboxed)
        result["job"] = job["job"]
        out.write(json.dumps(result) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
