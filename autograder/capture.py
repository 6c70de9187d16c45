"""Turn the objects a student's notebook holds into plain data (numbers, shapes, names).

This is the only module that touches student objects. Everything after it (comparison,
checks, reports) sees JSON-able dicts, so the judging side never calls a student's method
and a captured snapshot can cross a process boundary without pickling.
Student objects are read through torch's base-class functions, not their own methods,
so a tensor subclass cannot lie about its values.
"""

from __future__ import annotations

import math
from typing import Any

MAX_ELEMENTS = 20_000  # yhat has 100 elements; anything far bigger is a mistake, not an answer

_ABSENT = object()


def _tensor(t) -> dict[str, Any]:
    import torch

    base = torch.Tensor
    shape = list(base.size(t))
    numel = math.prod(shape)
    out = {
        "kind": "tensor",
        "shape": shape,
        "dtype": str(t.dtype).replace("torch.", ""),
        "device": str(t.device.type),
        "requires_grad": bool(base.requires_grad.__get__(t)),
        "values": None,
    }
    if numel <= MAX_ELEMENTS and (t.dtype.is_floating_point or t.dtype in _INT_DTYPES()):
        plain = base.detach(t)
        plain = base.to(plain, device="cpu", dtype=torch.float64)
        out["values"] = base.tolist(base.as_subclass(plain, base))
    grad = base.grad.__get__(t) if base.is_leaf.__get__(t) else None
    out["grad"] = _tensor(grad) if grad is not None else None
    return out


def _INT_DTYPES():
    import torch

    return (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8, torch.bool)


def _module(m) -> dict[str, Any]:
    import torch

    params = {name: _tensor(p) for name, p in m.named_parameters(recurse=False)}
    for name in ("weight", "bias"):
        params.setdefault(name, None)
    out = {"kind": "module", "type": type(m).__name__, "params": params}
    if isinstance(m, torch.nn.Linear):
        out["in_features"] = int(m.in_features)
        out["out_features"] = int(m.out_features)
    if isinstance(m, torch.nn.modules.loss._Loss):
        out["reduction"] = str(m.reduction)
    return out


def _optimizer(o) -> dict[str, Any]:
    groups = [
        {"lr": float(g.get("lr", float("nan"))), "momentum": float(g.get("momentum", 0.0) or 0.0), "n_params": len(g["params"])}
        for g in o.param_groups
    ]
    return {"kind": "optimizer", "type": type(o).__name__, "groups": groups}


def capture_value(value: Any) -> dict[str, Any]:
    """Plain description of one student value."""
    import torch

    if value is _ABSENT:
        return {"kind": "missing"}
    if value is Ellipsis:
        return {"kind": "ellipsis"}
    if value is None:
        return {"kind": "none"}
    if isinstance(value, torch.Tensor):
        return _tensor(value)
    if isinstance(value, torch.nn.Module):
        return _module(value)
    if isinstance(value, torch.optim.Optimizer):
        return _optimizer(value)
    if type(value) in (int, float, bool):
        return {"kind": "number", "value": float(value)}
    type_name = f"{type(value).__module__}.{type(value).__qualname__}"
    if type(value).__module__ == "numpy" or type(value) in (list, tuple):
        try:
            import numpy as np

            arr = np.asarray(value, dtype=np.float64)
            if arr.size <= MAX_ELEMENTS:
                return {"kind": "array", "type": type_name, "shape": list(arr.shape), "values": arr.tolist()}
        except Exception:
            pass
    return {"kind": "other", "type": type_name}


def capture(env: dict[str, Any], names: list[str]) -> dict[str, dict[str, Any]]:
    """Snapshot of the named globals, as they stand now."""
    out = {}
    for name in names:
        try:
            out[name] = capture_value(env.get(name, _ABSENT))
        except Exception as e:  # a broken object is the student's mistake, not a grader crash
            out[name] = {"kind": "other", "type": type(env.get(name)).__name__, "error": str(e)[:200]}
    return out


def lookup(snapshot: dict[str, Any], path: str) -> dict[str, Any]:
    """Follow 'net3.bias.grad' through a snapshot; {'kind': 'missing'} where it breaks off."""
    head, *rest = path.split(".")
    node = snapshot.get(head, {"kind": "missing"})
    for part in rest:
        if node is None:
            return {"kind": "none", "path": path}
        if node.get("kind") == "module":
            node = node["params"].get(part)
        elif node.get("kind") == "tensor" and part == "grad":
            node = node.get("grad")
        elif node.get("kind") == "tensor" and part == "data":
            continue
        else:
            return {"kind": "missing", "path": path}
    return node if node is not None else {"kind": "none", "path": path}
