"""Tensor-aware, tolerance-based comparison of captured values.

A captured value is first brought to the layout a quantity has in the lecture (a scalar
loss, the pair (w0, w1), one bias, a column of predictions); every way of writing it that
keeps the lecture's meaning is accepted. What cannot be brought there is refused with a
reason the student can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.spec.constants import ATOL, RTOL

# layout name -> shapes accepted for it; the array is then reshaped to the first one
LAYOUTS: dict[str, list[tuple[int, ...]]] = {
    "scalar": [(), (1,), (1, 1)],
    "pair": [(2,), (1, 2), (2, 1)],  # (w0, w1): What1 is (2,), net2.weight is (1, 2)
    "one": [(1,), (), (1, 1)],  # net3.bias / net3.weight: (1,) or the lecture's (1, 1)
    "vector": [(100,)],  # yhat of the hand-written model
    "column": [(100, 1)],  # yhat of nn.Linear
    "matrix": [(100, 2)],  # X
}


FLOAT_DTYPES = {"float16", "bfloat16", "float32", "float64"}


@dataclass(frozen=True)
class Refusal:
    """Why a value cannot be compared: 'missing', 'none', 'type', 'shape', 'nan', 'dtype', 'structure' or 'blank' (still `...`)."""

    reason: str
    detail: str = ""


def to_array(value: dict[str, Any], layout: str) -> np.ndarray | Refusal:
    """The value in the layout's canonical shape, as float64."""
    kind = value.get("kind")
    if kind == "ellipsis":
        return Refusal("blank")  # a blank left as `...`: always its own omission
    if kind == "missing":
        return Refusal("missing", value.get("path", ""))
    if kind == "none":
        return Refusal("none", value.get("path", ""))
    if kind == "module" and layout == "pair":
        arr = _module_pair(value)
        if isinstance(arr, Refusal):
            return arr
    elif kind == "number":
        arr = np.asarray(value["value"], dtype=np.float64)
    elif kind == "tensor":
        if value.get("dtype") not in FLOAT_DTYPES:
            return Refusal("dtype", value.get("dtype", "?"))
        if value.get("values") is None:
            return Refusal("shape", f"{tuple(value['shape'])}")
        arr = np.asarray(value["values"], dtype=np.float64).reshape(value["shape"])
    else:
        return Refusal("type", value.get("type", kind or "?"))
    accepted = LAYOUTS[layout]
    if tuple(arr.shape) not in accepted:
        return Refusal("shape", f"{tuple(arr.shape)} ≠ {accepted[0]}")
    arr = arr.reshape(accepted[0])
    if not np.all(np.isfinite(arr)):
        return Refusal("nan", "")
    return arr


def _module_pair(value: dict[str, Any]) -> np.ndarray | Refusal:
    """(w0, w1) of an nn.Linear: its weight (1, 2) without bias, or (bias, weight) with one."""
    parts = [value["params"].get(n) for n in ("bias", "weight")]
    parts = [p for p in parts if p is not None]
    if not parts or any(p.get("values") is None for p in parts):
        return Refusal("type", value.get("type", "module"))
    flat = np.asarray([v for p in parts for v in np.asarray(p["values"], dtype=np.float64).reshape(-1)])
    if flat.size != 2:
        has_bias = value["params"].get("bias") is not None
        return Refusal("structure", f"in_features={value.get('in_features')}, bias={has_bias}")
    return flat


def close(actual: np.ndarray, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    expected = np.asarray(expected, dtype=np.float64)
    return actual.shape == expected.shape and bool(np.all(np.abs(actual - expected) <= atol + rtol * np.abs(expected)))


def rounded(values: Any) -> Any:
    """A short rendering of numbers for records and reports: up to 4 of them, to 6 decimals."""
    arr = np.asarray(values, dtype=np.float64)
    return [round(float(v), 6) for v in arr.reshape(-1)] if arr.size <= 4 else f"array shape {tuple(arr.shape)}"


def summary(value: dict[str, Any] | None) -> Any:
    """A short, JSON-able rendering of a captured value for records and reports."""
    if value is None:
        return None
    kind = value.get("kind")
    if kind == "number":
        return round(value["value"], 6)
    if kind in ("tensor", "array") and value.get("values") is not None:
        arr = np.asarray(value["values"], dtype=np.float64)
        return rounded(arr) if arr.size <= 4 else f"{kind} shape {tuple(value['shape'])}"
    if kind == "module":
        return f"{value['type']}"
    return kind if kind != "other" else value.get("type")


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


def expand(snapshots: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Undo the transport's sharing: {"kind": "same", "as": question} stands for the value that
    name had in that earlier snapshot (the worker sends an unchanged tensor once)."""
    for snap in snapshots.values():
        for name, value in list(snap.items()):
            if isinstance(value, dict) and value.get("kind") == "same":
                earlier = snapshots.get(str(value.get("as")), {}).get(name)
                snap[name] = earlier if isinstance(earlier, dict) and earlier.get("kind") != "same" else {"kind": "missing"}
    return snapshots
