"""What the student's own values imply for each kind of quantity.

Two uses, one set of functions:
- public checks (`grader.check`, no reference): self-consistency with the student's own values,
  their data included (`data=None`);
- hidden checks: credit carried forward. Then `data` is the grader's own data for that run,
  never the data captured from the student's namespace, and predictions come from the
  student's *model* (its weights and structure) applied to that data. A value the student's
  model could not have produced on the grader's data (a typed-in `yhat`, a loss computed on
  re-drawn `y`) implies nothing downstream: the chain is broken there.

Each function returns the inputs it used and the value they imply, or None where an input is
missing or unusable.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from autograder.engine import algebra
from autograder.engine.checks import LR, W_INIT, Context
from autograder.engine.compare import Refusal, close
from autograder.spec.codes import Kind


def _arr(ctx: Context, path: str, layout: str, at: str | None = None):
    v = ctx.array(path, layout, at)
    return None if isinstance(v, Refusal) else v


def _values(ctx: Context, path: str, at: str) -> np.ndarray | None:
    v = ctx.get(path, at)
    if v.get("kind") != "tensor" or v.get("values") is None:
        return None
    return np.asarray(v["values"], dtype=np.float64).reshape(v["shape"])


def data_for(ctx: Context, at: str, grader: Any | None) -> Any:
    """X (n, 2), y (n,), x (n,): the grader's for hidden checks, else the student's own (or None)."""
    if grader is not None:
        return grader
    return SimpleNamespace(X=_arr(ctx, "X", "matrix", at), y=_arr(ctx, "y", "vector", at),
                           x=_arr(ctx, "x", "vector", at))


def model_output(ctx: Context, q, data: Any) -> np.ndarray | None:
    """The predictions (n,) of the student's model of this method on `data`: X @ What, or the
    nn.Linear's own weight and bias applied to X (in_features=2) or x (in_features=1)."""
    model = ctx.get(q.model, q.method)
    if model.get("kind") == "tensor":
        w = _arr(ctx, q.model, "pair", q.method)
        return None if w is None or data.X is None else data.X @ w
    if model.get("kind") != "module":
        return None
    W, b = _values(ctx, f"{q.model}.weight", q.method), _values(ctx, f"{q.model}.bias", q.method)
    inp = data.X if model.get("in_features") == 2 else (None if data.x is None else data.x.reshape(-1, 1))
    if W is None or inp is None or W.size != inp.shape[1] or (b is not None and b.size != 1):
        return None
    return (inp @ W.reshape(-1) + (0.0 if b is None else b.reshape(-1))).reshape(-1)


def yhat(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    out = model_output(ctx, q, data_for(ctx, q.method, grader))
    if out is None:
        return None
    return {"implied": out if ctx.get(q.model, q.method).get("kind") == "tensor" else out.reshape(-1, 1)}


def _predictions(ctx: Context, q, grader: Any | None) -> np.ndarray | None:
    """What the loss is computed from: the model's output on the grader's data (hidden), or the
    student's own yhat (public)."""
    if grader is not None:
        return model_output(ctx, q, grader)
    return _values(ctx, q.yhat, q.method)


def loss(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    y, yh = data_for(ctx, q.method, grader).y, _predictions(ctx, q, grader)
    if y is None or yh is None or y.size != yh.size:
        return None
    shapes = {name: tuple(ctx.get(name, q.method).get("shape") or ()) for name in ("y", q.yhat)}
    out = {"y": y, "yhat": yh, "implied": algebra.loss("mse", y, yh), "shapes": shapes}
    if ctx.get(q.model, q.method).get("kind") == "module" and len(shapes[q.yhat]) == 1:
        # an nn.Linear's (n, 1) output flattened to (n,) (named `shape` at the yhat): the lecture's
        # y.reshape(n, 1) minus it broadcasts, and that loss is right given the student's own yhat
        out["also"] = [algebra.loss("broadcast", y, yh)]
    return out


def _loss_variant(ctx: Context, q, grader: Any | None) -> tuple[str, np.ndarray, Any] | None:
    """Which loss the student computed (mse, or a variant the catalogue knows), from its value:
    (its name, its derivative by yhat, the data)."""
    data = data_for(ctx, q.method, grader)
    y, yh = data.y, _predictions(ctx, q, grader)
    value = _arr(ctx, q.loss, "scalar", q.method)
    if y is None or yh is None or value is None or y.size != yh.size:
        return None
    found = algebra.identify_loss(float(value.reshape(-1)[0]), y, yh, close)
    return None if found is None else (found[0], found[1], data)


def grad(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    """The gradient of the student's own loss (whatever variant it was) for this parameter."""
    found = _loss_variant(ctx, q, grader)
    if found is None:
        return None
    variant, g, data = found
    param = q.path[: -len(".grad")]
    if param.endswith(".bias"):
        implied = np.array([g.sum()])
    elif ctx.get(q.model, q.method).get("in_features") == 1:
        implied = None if data.x is None else np.array([data.x @ g])
    else:
        implied = None if data.X is None else data.X.T @ g
    return None if implied is None else {"implied": implied, "variant": variant}


def student_lr(ctx: Context, q) -> float | None:
    """The learning rate the student set for this update: its optimizer's lr, or the `lr` variable
    of the by-hand update (None when neither is there to read)."""
    if ctx.get(q.model, q.method).get("kind") == "module":
        o = ctx.get(f"optmz{q.method[-1]}")
        return float(o["groups"][0]["lr"]) if o.get("kind") == "optimizer" and o.get("groups") else None
    lr = _arr(ctx, "lr", "scalar")
    return None if lr is None else float(lr.reshape(-1)[0])


def update(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    """before − lr·grad, with the parameter as it was at its method and its gradient at step 3
    (the grader only credits it when that gradient is itself right or a recognised slip)."""
    before = _arr(ctx, q.path, q.layout, q.method)
    g = _arr(ctx, q.path + ".grad", q.layout, "step3")
    if before is None or g is None:
        return None
    by_optimizer = ctx.get(q.model, q.method).get("kind") == "module"
    return {"before": before, "grad": g, "implied": before - LR * g, "lr": student_lr(ctx, q),
            "lr_is_optimizers": by_optimizer}


def accumulated(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    """grad_twice: two backward passes of the MSE at (-5, 10)."""
    data = data_for(ctx, q.question, grader)
    return None if data.X is None or data.y is None else {"implied": 2 * algebra.mse_grad(data.X, data.y, W_INIT)}


def zeros(ctx: Context, q, grader: Any | None = None) -> dict[str, Any] | None:
    return {"implied": np.zeros(2)}


# The training loops' implied values need the loop itself: judge/loops.py (grading side only, never
# shipped to students) adds them here. In a student's kernel the loops are checked for what can be
# checked without computing them (questions.py: structure, and `progress`).
IMPLIED = {
    Kind.YHAT: yhat,
    Kind.LOSS: loss,
    Kind.GRAD: grad,
    Kind.UPDATE: update,
    Kind.ACCUMULATED: accumulated,
    Kind.ZEROS: zeros,
}
