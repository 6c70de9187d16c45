"""Turn the objects a student's notebook holds into plain data (numbers, shapes, names).

This is the only module that touches student objects. Everything after it (comparison,
checks, reports) sees JSON-able dicts, so the judging side never calls a student's method
and a snapshot can cross a process boundary without pickling.

Student code may have patched torch or subclassed its types by the time a snapshot is
taken, so values are read through torch's own C functions, saved when this module is first
imported (before any student code runs in the executor), with `__torch_function__`
overrides switched off; modules and optimizers are recognised by their exact type and read
from their own attribute dicts.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from autograder.spec.constants import MAX_ELEMENTS

_ABSENT = object()
_T = torch._C.TensorBase
_SIZE, _DETACH, _TO, _TOLIST = _T.size, _T.detach, _T.to, _T.tolist
_GRAD, _IS_LEAF, _REQUIRES_GRAD, _DTYPE, _DEVICE, _VERSION = (
    _T.grad.__get__, _T.is_leaf.__get__, _T.requires_grad.__get__, _T.dtype.__get__, _T.device.__get__,
    _T._version.__get__,
)
_NO_OVERRIDES = torch._C.DisableTorchFunctionSubclass
_GETATTR = object.__getattribute__
_FLOAT64 = torch.float64
_LINEAR, _MSE, _SGD, _MODULE, _OPTIMIZER, _LOSS = (
    torch.nn.Linear, torch.nn.MSELoss, torch.optim.SGD, torch.nn.Module, torch.optim.Optimizer,
    torch.nn.modules.loss._Loss,
)
_TYPE, _ISSUBCLASS, _FLOAT, _LEN = type, issubclass, float, len


def _tensor(t) -> dict[str, Any]:
    with _NO_OVERRIDES():
        shape = list(_SIZE(t))
        dtype = _DTYPE(t)
        out = {
            "kind": "tensor",
            "shape": shape,
            "dtype": str(dtype).replace("torch.", ""),
            "device": str(_DEVICE(t).type),
            "requires_grad": bool(_REQUIRES_GRAD(t)),
            "values": None,
        }
        if _TYPE(t) is not torch.Tensor and _TYPE(t) is not torch.nn.Parameter:
            out["subclass"] = _TYPE(t).__qualname__
        if math.prod(shape) <= MAX_ELEMENTS and not dtype.is_complex:
            out["values"] = _TOLIST(_TO(_DETACH(t), device="cpu", dtype=_FLOAT64))
        grad = _GRAD(t) if _IS_LEAF(t) else None
    out["grad"] = _tensor(grad) if grad is not None else None
    return out


def _module(m) -> dict[str, Any]:
    kind = _TYPE(m)
    out: dict[str, Any] = {"kind": "module", "type": kind.__name__ if kind in (_LINEAR, _MSE) else kind.__qualname__,
                           "params": {"weight": None, "bias": None}}
    if kind is _LINEAR:
        params = _GETATTR(m, "_parameters")
        out["params"] = {name: _tensor(params[name]) if params.get(name) is not None else None
                         for name in ("weight", "bias")}
        out["in_features"] = int(_GETATTR(m, "in_features"))
        out["out_features"] = int(_GETATTR(m, "out_features"))
    elif kind is _MSE:
        out["reduction"] = str(_GETATTR(m, "reduction"))
    else:
        out["type"] = f"{kind.__module__}.{kind.__qualname__}"
    return out


def _optimizer(o) -> dict[str, Any]:
    kind = _TYPE(o)
    groups = [
        {"lr": _FLOAT(g.get("lr", float("nan"))), "momentum": _FLOAT(g.get("momentum", 0.0) or 0.0),
         "weight_decay": _FLOAT(g.get("weight_decay", 0.0) or 0.0), "nesterov": g.get("nesterov") is True,
         "n_params": _LEN(g["params"])}
        for g in _GETATTR(o, "param_groups")
    ]
    return {"kind": "optimizer", "type": "SGD" if kind is _SGD else f"{kind.__module__}.{kind.__qualname__}",
            "groups": groups}


def capture_value(value: Any) -> dict[str, Any]:
    """Plain description of one student value."""
    kind = _TYPE(value)
    if value is _ABSENT:
        return {"kind": "missing"}
    if value is Ellipsis:
        return {"kind": "ellipsis"}
    if value is None:
        return {"kind": "none"}
    if _ISSUBCLASS(kind, torch.Tensor):
        return _tensor(value)
    if _ISSUBCLASS(kind, _MODULE):
        return _module(value)
    if _ISSUBCLASS(kind, _OPTIMIZER):
        return _optimizer(value)
    if kind in (int, float, bool):
        return {"kind": "number", "value": _FLOAT(value)}
    type_name = f"{kind.__module__}.{kind.__qualname__}"
    if kind.__module__ == "numpy" or kind in (list, tuple):
        try:
            import numpy as np

            arr = np.asarray(value, dtype=np.float64)
            if arr.size <= MAX_ELEMENTS:
                return {"kind": "array", "type": type_name, "shape": list(arr.shape), "values": arr.tolist()}
        except Exception:
            pass
    return {"kind": "other", "type": type_name}


def capture_question(question: str, env: dict[str, Any], tracker, index: int, memo: dict | None = None):
    """A question's snapshot: its names, those found by their role (engine/roles.py) included, with
    the other candidates of a model role (`net@1`, ...); the tracker marks the question as taken."""
    from autograder.engine.roles import resolve
    from autograder.spec.questions import QUESTIONS

    spec = QUESTIONS[question]
    try:
        view, found = resolve(spec.roles, env, tracker, question, index) if spec.roles else ({}, {})
    except BaseException:  # noqa: BLE001 - a student's object broke the search: the template's names
        view, found = {}, {}
    if not tracker.marks or tracker.marks[-1] != (question, index):
        tracker.marks.append((question, index))
    return capture({**env, **view} if view else env, [*spec.names, *(n for n in view if "@" in n)], memo, found)


def capture(env: dict[str, Any], names: list[str], memo: dict | None = None,
            found: dict[str, dict] | None = None) -> dict[str, dict[str, Any]]:
    """Snapshot of the named globals, as they stand now.

    With a `memo` (one per run), a tensor without grad that is the same object, unmodified since
    it was last captured (the data X, y, x, captured at nearly every question), gives back the
    very same dict: no work, and the transport can send it once (see compare.expand).
    """
    out = {}
    for name in names:
        value = dict.get(env, name, _ABSENT)
        try:
            key = None
            if memo is not None and _TYPE(value) is torch.Tensor:
                with _NO_OVERRIDES():
                    if not _REQUIRES_GRAD(value):
                        key = (id(value), _VERSION(value))
            seen = memo.get(name) if key is not None else None
            if seen is not None and seen[0] == key and seen[1] is value:
                out[name] = seen[2]
                continue
            out[name] = capture_value(value)
            if key is not None:
                memo[name] = (key, value, out[name])
        except Exception as e:  # a broken object is the student's mistake, not a grader crash
            out[name] = {"kind": "other", "type": _TYPE(value).__name__, "error": str(e)[:200]}
    for name, where in (found or {}).items():  # the object found by its role: where it was (engine/roles.py)
        if name in out and out[name].get("kind") in ("module", "optimizer"):
            out[name] = {**out[name], "found": where}
    return out
