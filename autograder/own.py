"""What the student's own earlier values imply for each kind of quantity.

This is both the public self-consistency check (no reference needed) and the basis of
credit carried forward: a step done right from an earlier wrong value still earns its
points. Each function returns the student's inputs and the value they imply, or None
where an input is missing or unusable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import algebra
from .checks import LR, W_INIT, Context
from .compare import Refusal, close

EPOCHS = 100


def _arr(ctx: Context, path: str, layout: str, at: str | None = None):
    v = ctx.array(path, layout, at)
    return None if isinstance(v, Refusal) else v


def _values(ctx: Context, path: str, at: str) -> np.ndarray | None:
    v = ctx.get(path, at)
    if v.get("kind") != "tensor" or v.get("values") is None:
        return None
    return np.asarray(v["values"], dtype=np.float64).reshape(v["shape"])


def yhat(ctx: Context, q) -> dict[str, Any] | None:
    """X @ What, or the nn.Linear's own weight and bias applied to X (or x)."""
    model = ctx.get(q.model, q.method)
    X, x = _arr(ctx, "X", "matrix", q.method), _arr(ctx, "x", "vector", q.method)
    if model.get("kind") == "tensor":
        w = _arr(ctx, q.model, "pair", q.method)
        return None if w is None or X is None else {"implied": X @ w}
    if model.get("kind") != "module":
        return None
    W, b = _values(ctx, f"{q.model}.weight", q.method), _values(ctx, f"{q.model}.bias", q.method)
    inp = X if model.get("in_features") == 2 else (None if x is None else x.reshape(-1, 1))
    if W is None or inp is None or inp.shape[1] != W.shape[-1]:
        return None
    out = inp @ W.reshape(-1, inp.shape[1]).T + (0.0 if b is None else b.reshape(-1))
    return {"implied": out.reshape(-1, 1)}


def loss(ctx: Context, q) -> dict[str, Any] | None:
    y, yh = _values(ctx, "y", q.method), _values(ctx, q.yhat, q.method)
    if y is None or yh is None or y.size != yh.size:
        return None
    return {"y": y, "yhat": yh, "implied": algebra.loss("mse", y, yh)}


def _loss_variant(ctx: Context, q) -> tuple[str, np.ndarray, np.ndarray] | None:
    """Which loss the student computed (mse, or one of the mistaken variants), from its value."""
    y, yh = _values(ctx, "y", q.method), _values(ctx, q.yhat, q.method)
    value = _arr(ctx, q.loss, "scalar", q.method)
    if y is None or yh is None or value is None or y.size != yh.size:
        return None
    for name in algebra.LOSSES:
        if close(value, algebra.loss(name, y, yh)):
            return name, y, yh
    return None


def grad(ctx: Context, q) -> dict[str, Any] | None:
    """The gradient of the student's own loss (whatever variant it was) for this parameter."""
    found = _loss_variant(ctx, q)
    if found is None:
        return None
    variant, y, yh = found
    g = algebra.dloss_dyhat(variant, y, yh)
    param = q.path[: -len(".grad")]
    if param.endswith(".bias"):
        implied = np.array([g.sum()])
    elif ctx.get(q.model, q.method).get("in_features") == 1:
        x = _arr(ctx, "x", "vector", q.method)
        implied = None if x is None else np.array([x @ g])
    else:
        X = _arr(ctx, "X", "matrix", q.method)
        implied = None if X is None else X.T @ g
    return None if implied is None else {"implied": implied, "variant": variant}


def update(ctx: Context, q) -> dict[str, Any] | None:
    """before − lr·grad, with the parameter as it was at its method and its gradient at step 3."""
    before = _arr(ctx, q.path, q.layout, q.method)
    g = _arr(ctx, q.path + ".grad", q.layout, "step3")
    if before is None or g is None:
        return None
    return {"before": before, "grad": g, "implied": before - LR * g}


def _loop(zero_grad: bool):
    """The training loop from (-5, 10) on the student's own X and y; also the other loop."""

    def implied(ctx: Context, q) -> dict[str, Any] | None:
        X, y = _arr(ctx, "X", "matrix", q.question), _arr(ctx, "y", "vector", q.question)
        if X is None or y is None:
            return None
        run = lambda zg: algebra.gradient_descent(X, y, W_INIT, LR, EPOCHS, zg)  # noqa: E731
        return {"implied": run(zero_grad), "other_loop": run(not zero_grad)}

    return implied


def accumulated(ctx: Context, q) -> dict[str, Any] | None:
    """grad_twice: two backward passes of the MSE at (-5, 10) on the student's own data."""
    X, y = _arr(ctx, "X", "matrix", q.question), _arr(ctx, "y", "vector", q.question)
    return None if X is None or y is None else {"implied": 2 * algebra.mse_grad(X, y, W_INIT)}


def zeros(ctx: Context, q) -> dict[str, Any] | None:
    return {"implied": np.zeros(2)}


IMPLIED = {
    "yhat": yhat,
    "loss": loss,
    "grad": grad,
    "update": update,
    "loop": _loop(zero_grad=True),
    "homework": _loop(zero_grad=False),
    "accumulated": accumulated,
    "zeros": zeros,
}
