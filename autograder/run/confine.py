"""A fresh, empty, unprivileged world for one run, made by the run's own process before any
student code: the layer inside the worker's sandbox that keeps one run away from the next.

    confine(uid)    in the forked child, before it reads its job:
      1. become `uid`, a uid of its own that no other run and not the worker has (when the worker
         may change uid: root, or the sandbox's CAP_SETUID); every process it forks is that uid
      2. new user, mount, IPC, network, UTS and cgroup namespaces (the user namespace maps only
         uid/gid 1000 inside to `uid` outside: no root inside, no capability over any file)
      3. every mount read-only (recursively), then one new tmpfs of bounded size at /tmp, bound
         at /var/tmp and /dev/shm too: the only writable place, new and empty, gone with the run
      4. no capabilities, no_new_privs, and a seccomp filter (seccomp.py) against kernel objects
         that outlive a process and are not namespaced (keyrings), new namespaces and mounts,
         ptrace and the other ways into another process

Nothing the run makes can outlive it: its files are on a tmpfs only its mount namespace holds,
its System V and POSIX IPC objects are in an IPC namespace only its processes hold, and every
process of it is killed by the worker when the run ends (run/worker.py).
"""

from __future__ import annotations

import ctypes
import os

from autograder.run import seccomp

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWNET = (
    0x20000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x40000000)
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x1000, 0x4000, 1 << 18
AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = -100, 0x8000, 0x1
SYS_OPEN_TREE, SYS_MOVE_MOUNT, SYS_MOUNT_SETATTR = 428, 429, 442  # the same numbers on every architecture
OPEN_TREE_CLONE, MOVE_MOUNT_F_EMPTY_PATH = 1, 4
INSIDE_ID = 1000  # the run's uid and gid as it sees them
SCRATCH = "/tmp/submission"  # the run's working folder, inside its own /tmp
TMPFS_MB = 256  # at most this much of a run's memory limit may be files (worker.tmpfs_mb)
TMPFS_INODES = 20_000
UID_BASE, UID_SPAN = 1_000_000, 1_000_000_000  # runs get uids drawn from here (no account has them)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class ConfineError(OSError):
    """The run's world could not be made: the run must not start."""


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise ConfineError(err, f"{what}: {os.strerror(err)}")


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                       ctypes.c_ulong(flags), data and data.encode()), f"mount {target}")


def _read_only_everywhere() -> None:
    """Every mount read-only, recursively."""
    attr = _MountAttr(attr_set=MOUNT_ATTR_RDONLY)
    _check(_libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)),
           "mount_setattr /")


def _fresh_tmp(size_mb: int) -> None:
    """One bounded tmpfs: /tmp, and the same at /var/tmp and /dev/shm where they exist."""
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={size_mb}m,nr_inodes={TMPFS_INODES},mode=1777")
    for place in ("/var/tmp", "/dev/shm"):
        if os.path.isdir(place) and not os.path.islink(place):
            _mount("/tmp", place, None, MS_BIND | MS_REC)
    os.mkdir(SCRATCH, 0o700)


def _drop_capabilities() -> None:
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header, data = Header(0x20080522, 0), (Data * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def _blocked(path: str, uid: int) -> str | None:
    """The outermost folder on the way to `path` that `uid` may not pass through (e.g. /root,
    0700, above a Python installed by pyenv or conda), or None."""
    parts = os.path.abspath(path).split("/")[1:]
    for i in range(1, len(parts) + 1):
        folder = "/" + "/".join(parts[:i])
        st = os.stat(folder)
        if not st.st_mode & 0o001 and st.st_uid != uid:
            return folder
    return None


def _hold_needed(paths: list[str], uid: int) -> list[tuple[str, str, int]]:
    """(blocked folder, path, detached copy of its mounts) for each needed path the run's uid
    could not reach: taken now, while this process may still pass, and attached once confined."""
    held, done = [], []
    for path in sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)}, key=len):
        if any(path == d or path.startswith(d + "/") for d in done):
            continue
        blocked = _blocked(path, uid)
        if blocked:
            fd = _libc.syscall(SYS_OPEN_TREE, AT_FDCWD, path.encode(), OPEN_TREE_CLONE | os.O_CLOEXEC | AT_RECURSIVE)
            if fd < 0:
                _check(-1, f"open_tree {path}")
            held.append((blocked, path, fd))
            done.append(path)
    return held


def _bind_needed(held: list[tuple[str, str, int]]) -> None:
    """Cover each blocked folder with an empty tmpfs (what else it holds stays hidden) and bind
    the needed paths back at their own places."""
    covered: set[str] = set()
    for blocked, path, fd in held:
        if blocked not in covered:
            _mount("tmpfs", blocked, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
            covered.add(blocked)
        os.makedirs(path, exist_ok=True)
        _check(_libc.syscall(SYS_MOVE_MOUNT, fd, b"", AT_FDCWD, path.encode(), MOVE_MOUNT_F_EMPTY_PATH),
               f"move_mount {path}")
        os.close(fd)


TMP_PLACES = ("/tmp", "/var/tmp", "/dev/shm")  # where the run's own tmpfs goes


def _take_from_tmp(needed: list[str]) -> list[tuple[str, int]]:
    """Detached copies (read-only, as the mounts are by now) of the needed paths that lie where the
    run's own tmpfs will go: a project or virtual environment checked out under /tmp, as CI does."""
    kept: list[tuple[str, int]] = []
    for path in sorted({os.path.realpath(p) for p in needed if os.path.isdir(p)}, key=len):
        if not path.startswith(tuple(t + "/" for t in TMP_PLACES)) or any(path.startswith(k + "/") for k, _ in kept):
            continue
        fd = _libc.syscall(SYS_OPEN_TREE, AT_FDCWD, path.encode(), OPEN_TREE_CLONE | os.O_CLOEXEC | AT_RECURSIVE)
        if fd < 0:
            _check(-1, f"open_tree {path}")
        kept.append((path, fd))
    return kept


def _put_back(kept: list[tuple[str, int]]) -> None:
    """Attach each kept copy at its own path again, inside the run's new tmpfs."""
    for path, fd in kept:
        os.makedirs(path, exist_ok=True)
        _check(_libc.syscall(SYS_MOVE_MOUNT, fd, b"", AT_FDCWD, path.encode(), MOVE_MOUNT_F_EMPTY_PATH),
               f"move_mount {path}")
        os.close(fd)


def _hide(paths: list[str]) -> None:
    """Cover each folder with an empty tmpfs: the run cannot import what it holds."""
    for path in paths:
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=0555")


def confine(uid: int | None, needed: list[str], tmpfs_mb: int = TMPFS_MB, hidden: list[str] = ()) -> str:
    """Make this (single-threaded, freshly forked) process the run's world; returns its scratch
    folder. `uid`: the run's own uid, or None where this process may not change uid. `needed`:
    folders the run must read (the Python installation), bound back if its uid could not. `hidden`:
    folders it must not see (the grading side of the autograder package: the loops' solver)."""
    held = _hold_needed(needed, uid) if uid is not None else []
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
        PR_SET_DUMPABLE = 4  # a change of uid made it 0: /proc/self would belong to root
        _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    outside_uid, outside_gid = os.geteuid(), os.getegid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP),
           "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{INSIDE_ID} {outside_uid} 1")
    _write("/proc/self/gid_map", f"{INSIDE_ID} {outside_gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _bind_needed(held)
    _hide(list(hidden))
    _read_only_everywhere()
    kept = _take_from_tmp(needed)
    _fresh_tmp(tmpfs_mb)
    _put_back(kept)
    _drop_capabilities()
    seccomp.install()
    return SCRATCH


def run_uid(worker_may_setuid: bool) -> int | None:
    """A uid for one run, drawn at random so that no two runs (here, or in another worker or
    batch at the same time) share one; None where the worker cannot change uid."""
    if not worker_may_setuid:
        return None
    return UID_BASE + int.from_bytes(os.urandom(4), "little") % UID_SPAN
