"""The messages between the grader, a worker and a worker's child, as types, validated on arrival.

    grader → worker   Job         one run of one submission (the official run, or the fresh one)
    child  → worker   snapshot / error / output / timing / done, one JSON object a line, on the child's own pipe
    worker → grader   RunResult   what that run produced, tagged with the job id and run number

Everything a child sends is untrusted (student code runs in that process and can write to its
pipe), so every message is checked here: its schema, its sizes, and every captured value. A
message that fails makes *that* run `crashed` with a reason; it is never an exception elsewhere.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from autograder.run.timing import CHILD_PARTS, RUN_PARTS
from autograder.spec.constants import MAX_ELEMENTS  # numbers in one captured value (capture.py)

MAX_LINE = 8 * 2**20  # bytes in one message: a snapshot of every graded name is well under 1 MB
MAX_TEXT = 300  # characters of a type name, reason or detail
MAX_ERROR_TEXT = 1000  # characters of a cell's error message: enough to quote it whole or to a sentence's end
MAX_NAMES = 64  # names in one snapshot
STATUSES = ("graded", "timeout", "memory", "crashed", "invalid")
KINDS = ("missing", "ellipsis", "none", "tensor", "module", "optimizer", "number", "array", "other", "same")


class ProtocolError(ValueError):
    """A message that is not what the protocol allows: its run is `crashed` with this reason."""


def _text(value: Any, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise ProtocolError(f"{what} is not text")
    return value[:limit]


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProtocolError(f"{what} is not a number")
    return float(value)


def _count(values: Any, shape: list[int]) -> int:
    """Check that nested lists `values` have exactly `shape` and hold only numbers (a level at a
    time: a call per element cost more than the rest of the validation)."""
    level = [values]
    for size in shape:
        if not all(type(v) is list and len(v) == size for v in level):
            raise ProtocolError("values do not match their shape")
        level = [x for v in level for x in v]
    if not all(type(x) is float or type(x) is int for x in level):  # JSON's numbers: never bool, never text
        raise ProtocolError("a value is not a number")
    return len(level)


def _shape(value: Any) -> list[int]:
    if not isinstance(value, list) or len(value) > 8 or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**31 for n in value):
        raise ProtocolError("a shape is not a list of sizes")
    return value


def found(v: Any) -> dict[str, Any]:
    """Where an object found by its role was (engine/roles.py): a path, a cell, what it holds."""
    if not isinstance(v, dict):
        raise ProtocolError("a malformed place")
    out: dict[str, Any] = {}
    if "path" in v:
        out["path"] = _text(v["path"], "a path", 100)
    if "cell" in v:
        out["cell"] = int(_number(v["cell"], "a cell number"))
    if "holds" in v:
        if not isinstance(v["holds"], list) or len(v["holds"]) > 4:
            raise ProtocolError("a malformed list of models")
        out["holds"] = [_text(h, "a path", 100) for h in v["holds"]]
    return out


def value(v: Any, depth: int = 0) -> dict[str, Any]:
    """A captured value (capture.py), checked and cut to size; raises ProtocolError."""
    if not isinstance(v, dict) or v.get("kind") not in KINDS or depth > 2:
        raise ProtocolError("a captured value of unknown form")
    out = _value(v, depth)
    if "found" in v and v["kind"] in ("module", "optimizer"):
        out["found"] = found(v["found"])
    return out


def _value(v: dict, depth: int) -> dict[str, Any]:
    kind = v["kind"]
    if kind in ("missing", "ellipsis", "none"):
        out: dict[str, Any] = {"kind": kind}
        if "path" in v:
            out["path"] = _text(v["path"], "a path")
        return out
    if kind == "same":
        return {"kind": "same", "as": _text(v.get("as"), "a reference")}
    if kind == "number":
        return {"kind": "number", "value": _number(v.get("value"), "a number")}
    if kind == "other":
        out = {"kind": "other", "type": _text(v.get("type", "?"), "a type name")}
        if "error" in v:
            out["error"] = _text(v["error"], "an error")
        return out
    if kind in ("tensor", "array"):
        shape = _shape(v.get("shape"))
        values = v.get("values")
        if values is not None:
            if math.prod(shape) > MAX_ELEMENTS:
                raise ProtocolError("a captured value is too large")
            _count(values, shape)
        out = {"kind": kind, "shape": shape, "values": values}
        if kind == "array":
            out["type"] = _text(v.get("type", "?"), "a type name")
            return out
        out.update(dtype=_text(v.get("dtype"), "a dtype"), device=_text(v.get("device", "cpu"), "a device"),
                   requires_grad=bool(v.get("requires_grad") is True))
        if "subclass" in v:
            out["subclass"] = _text(v["subclass"], "a type name")
        grad = v.get("grad")
        out["grad"] = None if grad is None else value(grad, depth + 1)
        if out["grad"] is not None and out["grad"]["kind"] != "tensor":
            raise ProtocolError("a gradient that is not a tensor")
        return out
    if kind == "module":
        params = v.get("params")
        if not isinstance(params, dict) or set(params) - {"weight", "bias"}:
            raise ProtocolError("a module's parameters are malformed")
        out = {"kind": "module", "type": _text(v.get("type"), "a type name"),
               "params": {n: None if params.get(n) is None else value(params[n], depth + 1) for n in ("weight", "bias")}}
        if any(p is not None and p["kind"] != "tensor" for p in out["params"].values()):
            raise ProtocolError("a parameter that is not a tensor")
        for name in ("in_features", "out_features"):
            if name in v:
                out[name] = int(_number(v[name], name))
        if "reduction" in v:
            out["reduction"] = _text(v["reduction"], "a reduction")
        return out
    groups = v.get("groups")  # optimizer
    if not isinstance(groups, list) or not 0 < len(groups) <= 16 or not all(isinstance(g, dict) for g in groups):
        raise ProtocolError("an optimizer's groups are malformed")
    return {"kind": "optimizer", "type": _text(v.get("type"), "a type name"),
            "groups": [{"lr": _number(g.get("lr"), "lr"), "momentum": _number(g.get("momentum", 0.0), "momentum"),
                        "weight_decay": _number(g.get("weight_decay", 0.0), "weight_decay"),
                        "nesterov": g.get("nesterov") is True,
                        "n_params": int(_number(g.get("n_params", 0), "n_params"))} for g in groups]}


def snapshot(data: Any, questions: set[str] | frozenset[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or len(data) > MAX_NAMES:
        raise ProtocolError("a snapshot is not a table of names")
    return {_text(name, "a name", 64): value(v) for name, v in data.items()}


@dataclass
class Job:
    """One run of one submission, as the grader sends it to a worker."""

    job: str  # the submission's id in this batch
    run: int  # 0: as written; 1: on fresh data
    cells: list[str]
    timeout: float
    memory_mb: int
    name: str = "submission.ipynb"

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> "Job":
        d = json.loads(line)
        if not isinstance(d, dict) or not isinstance(d.get("cells"), list):
            raise ProtocolError("a job without cells")
        return cls(job=_text(d["job"], "a job id", 500), run=int(_number(d["run"], "a run")),
                   cells=[_text(c, "a cell", 2**31) for c in d["cells"]], timeout=_number(d["timeout"], "a timeout"),
                   memory_mb=int(_number(d["memory_mb"], "a memory limit")), name=_text(d.get("name", "submission.ipynb"), "a name"))


@dataclass
class CellError:
    cell: int
    type: str
    message: str
    memory: bool = False
    skipped: bool = False  # a magic the grader does not run kept the cell from running (run/execute.Skipped)


@dataclass
class RunResult:
    """What one run of a submission produced: plain data only."""

    job: str
    run: int
    status: str = "graded"
    reason: str = ""
    snapshots: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    output: str = ""
    seconds: float = 0.0
    retire: bool = False  # the worker ends after this answer: the grader starts a fresh one for the next run
    timing: dict[str, float] = field(default_factory=dict)  # CPU seconds per part (run/timing.RUN_PARTS)

    def fail(self, status: str, reason: str) -> None:
        """The first failure is the one reported."""
        if self.status == "graded":
            self.status, self.reason = status, reason[:MAX_TEXT]

    def to_json(self) -> str:
        # not dataclasses.asdict: it deep-copies every captured number (tens of ms a run)
        return json.dumps({"job": self.job, "run": self.run, "status": self.status, "reason": self.reason,
                           "snapshots": self.snapshots, "errors": [asdict(e) for e in self.errors],
                           "output": self.output, "seconds": self.seconds, "retire": self.retire,
                           "timing": self.timing})

    @classmethod
    def from_json(cls, line: str | bytes, questions: frozenset[str]) -> "RunResult":
        """Validate a worker's answer; raises ProtocolError (or ValueError for bad JSON)."""
        if len(line) > 16 * MAX_LINE:
            raise ProtocolError("an answer too large")
        d = json.loads(line)
        if not isinstance(d, dict):
            raise ProtocolError("an answer that is not an object")
        status = d.get("status")
        if status not in STATUSES:
            raise ProtocolError("an unknown status")
        snaps = d.get("snapshots")
        if not isinstance(snaps, dict) or set(snaps) - questions:
            raise ProtocolError("snapshots of unknown questions")
        errors = d.get("errors")
        if not isinstance(errors, list) or len(errors) > 10_000:
            raise ProtocolError("a malformed list of cell errors")
        return cls(job=_text(d.get("job"), "a job id", 500), run=int(_number(d.get("run"), "a run")), status=status,
                   reason=_text(d.get("reason", ""), "a reason"),
                   snapshots={q: snapshot(s, questions) for q, s in snaps.items()},
                   errors=[cell_error(e) for e in errors], output=_text(d.get("output", ""), "output", 2 * 10**5),
                   seconds=_number(d.get("seconds", 0.0), "seconds"), retire=d.get("retire") is True,
                   timing=timing(d.get("timing", {}), RUN_PARTS))


def cell_error(e: Any) -> CellError:
    if not isinstance(e, dict):
        raise ProtocolError("a malformed cell error")
    return CellError(cell=int(_number(e.get("cell"), "a cell number")), type=_text(e.get("type"), "an error type", 100),
                     message=_text(e.get("message", ""), "an error message", MAX_ERROR_TEXT),
                     memory=e.get("memory") is True, skipped=e.get("skipped") is True)


def child_message(line: bytes, questions: frozenset[str]) -> tuple[str, Any]:
    """One message from a child: ("snapshot", (question, data)), ("error", CellError),
    ("output", text), ("invalid", reason: no cell is valid Python), ("timing", {part: seconds}) or
    ("done", None). Raises ProtocolError."""
    if len(line) > MAX_LINE:
        raise ProtocolError("a message too large")
    try:
        d = json.loads(line)
    except ValueError:
        raise ProtocolError("a message that is not JSON") from None
    if not isinstance(d, dict) or len(d) != 1:
        raise ProtocolError("a message of unknown form")
    (kind, body), = d.items()
    if kind == "snapshot":
        if not isinstance(body, dict) or body.get("question") not in questions:
            raise ProtocolError("a snapshot of an unknown question")
        return kind, (body["question"], snapshot(body.get("data"), questions))
    if kind == "error":
        return kind, cell_error(body)
    if kind == "output":
        return kind, _text(body, "output", 10**5)
    if kind == "done" and body is True:
        return kind, None
    if kind == "invalid":
        return kind, _text(body, "a reason")
    if kind == "timing":
        return kind, timing(body, CHILD_PARTS)
    raise ProtocolError("a message of unknown form")


def timing(d: Any, names: tuple[str, ...]) -> dict[str, float]:
    """CPU seconds per part (run/timing.py): the known parts only, each a number from 0 to a day."""
    if not isinstance(d, dict):
        raise ProtocolError("a malformed timing")
    return {k: min(max(_number(v, "a time"), 0.0), 86400.0) for k, v in d.items() if k in names}
