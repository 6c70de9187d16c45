"""Checks: small pure functions from captured values to a finding (mistake code, detail) or None.

Public checks look only at the student's own values (structure and self-consistency), so
they can ship with the notebook. The reference comparison takes the expected value as an
argument; it never imports the reference itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from . import algebra
from .capture import lookup
from .compare import Refusal, close, to_array

W_INIT = np.array([-5.0, 10.0])
LR = 0.1
EPOCHS = 100

Finding = Optional[tuple[str, str]]  # (mistake code, detail from the student's own values)


@dataclass
class Context:
    """Snapshots taken at each question's check cell, newest last."""

    snapshots: dict[str, dict[str, Any]]
    question: str

    def get(self, path: str, at: str | None = None) -> dict[str, Any]:
        """`path` as it stood at question `at` (default: this one); else its latest capture."""
        head = path.split(".")[0]
        for q in [at or self.question, self.question, *reversed(list(self.snapshots))]:
            snap = self.snapshots.get(q, {})
            if head in snap and snap[head].get("kind") != "missing":
                return lookup(snap, path)
        return {"kind": "missing", "path": path}

    def array(self, path: str, layout: str, at: str | None = None):
        return to_array(self.get(path, at), layout)


Check = Callable[[Context, Any], Finding]

_REFUSALS = {
    "missing": "missing",
    "none": "none",
    "type": "not_a_tensor",
    "shape": "shape",
    "nan": "nan",
    "size": "too_large",
    "structure": "wrong_bias",
}
_NONE_HINTS = {
    "grad": "backward() 를 실행했나요? / Did you call backward()?",
    "bias": "bias 가 없는 모형입니다 / the model has no bias",
}


def refusal_finding(value: Refusal) -> tuple[str, str]:
    detail = value.detail
    if value.reason == "none":
        detail = _NONE_HINTS.get(detail.rsplit(".", 1)[-1], "")
    return _REFUSALS[value.reason], detail


def readable(ctx: Context, q) -> Finding:
    """The value exists and can be brought to the quantity's layout."""
    value = ctx.array(q.path, q.layout)
    return refusal_finding(value) if isinstance(value, Refusal) else None


# ---- public checks: each is a factory returning Check, so the spec in questions.py reads as data


def is_tensor(path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get(path or q.path)
        if v.get("kind") != "tensor":
            return "not_a_tensor", v.get("type", v.get("kind", "?"))
        return None

    return check


def requires_grad(path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get(path or q.path)
        return ("no_requires_grad", "") if v.get("kind") == "tensor" and not v["requires_grad"] else None

    return check


def initial_weights(at: str | None = None) -> Check:
    """The weights the prompt prescribes, (w0, w1) = (-5, 10): public, since the prompt says so."""

    def check(ctx, q):
        w = ctx.array(q.path, "pair", at)
        return ("weights_not_set", "") if isinstance(w, np.ndarray) and not close(w, W_INIT) else None

    return check


def linear(in_features: int, bias: bool, path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get((path or q.path).split(".")[0])
        if v.get("kind") != "module" or v.get("type") != "Linear":
            return "wrong_bias", f"torch.nn.Linear 가 아닙니다 / not a torch.nn.Linear ({v.get('type', v.get('kind'))})"
        has_bias = v["params"].get("bias") is not None
        if v.get("in_features") != in_features or has_bias != bias:
            return "wrong_bias", (
                f"in_features={v.get('in_features')}, bias={has_bias}; "
                f"필요한 것 / needed: in_features={in_features}, bias={bias}"
            )
        return None

    return check


def own_mse(y: str, yhat: str) -> Check:
    """The loss is the MSE of the student's own y and yhat; names the (100,)-(100,1) broadcast."""

    def check(ctx, q):
        loss = ctx.array(q.path, "scalar")
        yv, yh = ctx.get(y), ctx.get(yhat)
        if isinstance(loss, Refusal) or yv.get("values") is None or yh.get("values") is None:
            return None
        ya, yha = np.asarray(yv["values"]), np.asarray(yh["values"])
        if ya.size != yha.size:
            return None
        if close(loss, algebra.mse(ya, yha)):
            return None
        if close(loss, algebra.mse_broadcast(ya, yha)) or close(loss, algebra.mse_broadcast(yha, ya)):
            return "broadcast", ""
        return "not_own_mse", ""

    return check


def agrees_with(*earlier: tuple[str, str]) -> Check:
    """The loss equals an earlier method's loss, each read at its own check cell.

    One earlier slip should be named once, where it happened: a loss that agrees with any
    earlier loss passes, so a wrong loss2 does not make loss3..loss6 fail too.
    """

    def check(ctx, q):
        mine = ctx.array(q.path, "scalar")
        if isinstance(mine, Refusal):
            return None
        others = [(name, ctx.array(name, "scalar", question)) for question, name in earlier]
        others = [(name, v) for name, v in others if isinstance(v, np.ndarray)]
        if others and not any(close(mine, v) for _, v in others):
            return "losses_disagree", others[0][0]
        return None

    return check


def _pair(ctx: Context, path: str, at: str) -> np.ndarray | None:
    v = ctx.array(path, "pair", at)
    return v if isinstance(v, np.ndarray) else None


def grad_pair(ctx: Context, model: str, at: str) -> np.ndarray | None:
    """(d/dw0, d/dw1) from a hand-written What or an nn.Linear's parameters, read at `at`."""
    v = ctx.get(model, at)
    if v.get("kind") == "module":
        p = v["params"]
        grads = [p[n]["grad"] for n in ("bias", "weight") if p.get(n) is not None]
        if any(g is None for g in grads):
            return None
        flat = [x for g in grads for x in np.asarray(g["values"]).reshape(-1)]
        return np.asarray(flat) if len(flat) == 2 else None
    return _pair(ctx, model + ".grad", at)


def own_grad(model: str, method_question: str, component: int | None = None) -> Check:
    """The gradient of MSE at the student's own weights on the student's own data."""

    def check(ctx, q):
        g = ctx.array(q.path, q.layout)
        w = _pair(ctx, model, method_question)
        X, y = ctx.array("X", "matrix", method_question), ctx.array("y", "vector", method_question)
        if any(isinstance(v, Refusal) or v is None for v in (g, w, X, y)):
            return None
        want = algebra.mse_grad(X, y, w)
        want = want if component is None else want[component : component + 1]
        if close(g.reshape(-1), want):
            return None
        return "grad_inconsistent", ""

    return check


def own_update(model: str, method_question: str, grad_question: str, lr: float = LR) -> Check:
    """After = before − lr·grad, with before and grad as the student had them."""

    def check(ctx, q):
        after = ctx.array(q.path, "pair")
        before = _pair(ctx, model, method_question)
        g = grad_pair(ctx, model, grad_question)
        if isinstance(after, Refusal) or before is None or g is None:
            return None
        if close(after, before - lr * g):
            return None
        if close(after, before):
            return "update_inconsistent", "값이 바뀌지 않았습니다 / the value did not change."
        return "update_inconsistent", ""

    return check


def sgd(optimizer: str, lr: float = LR) -> Check:
    def check(ctx, q):
        o = ctx.get(optimizer)
        if o.get("kind") in ("missing", "ellipsis"):
            return "wrong_optimizer", f"`{optimizer}` 이(가) 아직 없습니다 / `{optimizer}` is not defined yet"
        if o.get("kind") != "optimizer" or o.get("type") != "SGD":
            return "wrong_optimizer", f"`{optimizer}` 은(는) torch.optim.SGD 여야 합니다 / must be torch.optim.SGD"
        got = o["groups"][0]["lr"]
        if not np.isclose(got, lr):
            return "wrong_optimizer", f"`{optimizer}` lr={got:g}; 문제는 / the problem says lr={lr:g}"
        return None

    return check


def own_loop(zero_grad: bool, data_question: str = "loop") -> Check:
    """The loop's final weights, recomputed from (-5, 10) on the student's own X and y."""

    def check(ctx, q):
        w = ctx.array(q.path, "pair")
        X, y = ctx.array("X", "matrix", data_question), ctx.array("y", "vector", data_question)
        if any(isinstance(v, Refusal) for v in (w, X, y)):
            return None
        if close(w, algebra.gradient_descent(X, y, W_INIT, LR, EPOCHS, zero_grad), rtol=1e-3, atol=1e-3):
            return None
        if close(w, algebra.gradient_descent(X, y, W_INIT, LR, EPOCHS, not zero_grad), rtol=1e-3, atol=1e-3):
            hint = "zero_grad() 를 빠뜨렸나요? / Did you leave out zero_grad()?" if zero_grad else (
                "이 문제는 zero_grad() 없이 학습합니다 / this one trains without zero_grad()."
            )
            return "loop_inconsistent", hint
        return "loop_inconsistent", ""

    return check


def matches_reference(ctx: Context, q, expected: Any) -> Finding:
    """Hidden: the value equals the reference's, within tolerance."""
    value = ctx.array(q.path, q.layout)
    if isinstance(value, Refusal):
        return refusal_finding(value)
    return None if close(value, expected, q.rtol, q.atol) else (q.wrong, "")

