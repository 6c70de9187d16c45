"""Structure checks: small pure functions from captured values to a finding or None.

A finding is (mistake code, detail), the detail made from the student's own values only.
These look at what a value *is* (defined, a tensor, an nn.Linear with the right bias, an
SGD with lr=0.1); what a value *should be* is in own.py (from the student's own earlier
values) and in the reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from autograder.engine.compare import Refusal, close, lookup, to_array
from autograder.spec.codes import Code
from autograder.spec.constants import LR, pair
from autograder.spec.constants import W_INIT as _W_INIT

ROLE_NAMES = frozenset({"net", "optmz"})  # spec/questions.ROLE_NAMES (which imports this module)

W_INIT = np.array(_W_INIT)

# (code, detail) or (code, detail, the name the message is about when it is not the quantity itself)
Finding = Optional[tuple]


@dataclass
class Context:
    """Snapshots taken at each question's check cell."""

    snapshots: dict[str, dict[str, Any]]
    question: str

    def get(self, path: str, at: str | None = None) -> dict[str, Any]:
        """`path` as it stood at question `at` (default: this one); else its latest capture (but a
        name found by its role is never borrowed: another question's is another object)."""
        head = path.split(".")[0]
        later = [] if head in ROLE_NAMES else list(reversed(list(self.snapshots)))
        for q in [at or self.question, self.question, *later]:
            snap = self.snapshots.get(q, {})
            if head in snap and snap[head].get("kind") != "missing":
                return lookup(snap, path)
        return {"kind": "missing", "path": path}

    def array(self, path: str, layout: str, at: str | None = None):
        return to_array(self.get(path, at), layout)


Check = Callable[[Context, Any], Finding]

_REFUSALS = {
    "missing": Code.MISSING,
    "blank": Code.MISSING,
    "none": Code.NONE,
    "type": Code.NOT_A_TENSOR,
    "shape": Code.SHAPE,
    "nan": Code.NAN,
    "structure": Code.WRONG_BIAS,
    "dtype": Code.DTYPE,
}


def refusal_finding(value: Refusal) -> tuple[Code, str]:
    if value.reason == "none" and value.detail.endswith(".grad"):
        return Code.NO_BACKWARD, ""
    return _REFUSALS[value.reason], value.detail


def is_tensor(path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get(path or q.path)
        if v.get("kind") != "tensor":
            return Code.NOT_A_TENSOR, v.get("type", v.get("kind", "?"))
        return None

    return check


def requires_grad(path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get(path or q.path)
        return (Code.NO_REQUIRES_GRAD, "") if v.get("kind") == "tensor" and not v["requires_grad"] else None

    return check


def initial_weights(model: str) -> Check:
    """The model starts from the weights the prompt gives, (w0, w1) = (-5, 10): public, the prompt says so."""

    def check(ctx, q):
        w = ctx.array(model, "pair")
        if isinstance(w, Refusal) or close(w, W_INIT):
            return None
        return Code.WEIGHTS_NOT_SET, ""

    return check


def linear(in_features: int, bias: bool, path: str | None = None) -> Check:
    def check(ctx, q):
        v = ctx.get((path or q.path).split(".")[0])
        if v.get("kind") != "module" or v.get("type") != "Linear":
            return Code.NOT_LINEAR, str(v.get("type", v.get("kind")))
        has_bias = v["params"].get("bias") is not None
        if v.get("in_features") != in_features or has_bias != bias:
            have = f"in_features={v.get('in_features')}, bias={has_bias}"
            need = f"in_features={in_features}, bias={bias}"
            return Code.WRONG_BIAS, {"ko": f"{have}이지만 {need}이어야 합니다", "en": f"{have}; needed: {need}"}
        return None

    return check


def _named(o: dict, optimizer: str) -> str:
    """The optimizer as the student named it (found by its role under another name, engine/roles.py)."""
    return str((o.get("found") or {}).get("path", optimizer))


def sgd(optimizer: str, lr: float = LR) -> Check:
    def check(ctx, q):
        o = ctx.get(optimizer)
        if o.get("kind") in ("missing", "ellipsis"):
            return Code.MISSING, "", optimizer
        name = _named(o, optimizer)
        if o.get("kind") != "optimizer" or o.get("type") != "SGD":
            return Code.WRONG_OPTIMIZER, {"ko": f"`{name}`은(는) torch.optim.SGD이어야(여야) 합니다",
                                          "en": f"`{name}` must be torch.optim.SGD"}
        got = o["groups"][0]["lr"]
        if not np.isclose(got, lr):
            return Code.WRONG_LR, f"`{name}`: lr={got:g}"
        return None

    return check


def plain_sgd(optimizer: str, lr: float = LR) -> Check:
    """The training loop's optimizer: SGD with lr=0.1 and nothing else (no momentum, weight decay
    or Nesterov), read from the optimizer the student built."""

    def check(ctx, q):
        o = ctx.get(optimizer)
        if o.get("kind") in ("missing", "ellipsis"):
            return Code.MISSING, "", optimizer
        name = _named(o, optimizer)
        if o.get("kind") != "optimizer":
            return Code.OPTIMIZER_SETTINGS, f"`{name}`: {o.get('type', o.get('kind'))}"
        if o.get("type") != "SGD":
            return Code.OPTIMIZER_SETTINGS, f"`{name}`: {o['type'].rsplit('.', 1)[-1]}"
        group = o["groups"][0]
        extras = [f"{k}={group[k]:g}" for k in ("momentum", "weight_decay") if group.get(k)]
        extras += ["nesterov=True"] if group.get("nesterov") else []
        if extras:
            return Code.OPTIMIZER_SETTINGS, f"`{name}`: " + ", ".join(extras)
        if not np.isclose(group["lr"], lr):
            return Code.WRONG_LR, f"`{name}`: lr={group['lr']:g}"
        return None

    return check


def trained(accumulates: bool) -> Check:
    """A loop checked without running it (nothing shipped to students may compute the loop):
    - its weights left the start;
    - the gradient it leaves on the model says whether it was cleared each epoch: cleared, it is
      zero, absent, or the gradient of the MSE at the last weights (zero_grad() before backward());
      accumulated, it is none of these (a one-step fact, from the student's own data);
    - with zero_grad (`accumulates` False: the loop converges) the loss on the student's data fell."""

    def check(ctx, q):
        from autograder.engine.algebra import mse_grad
        from autograder.engine.own import data_for

        end = ctx.array(q.path, q.layout)
        if isinstance(end, Refusal) or end.size != 2:
            return None
        end, start = end.reshape(-1), np.asarray(W_INIT, dtype=float)
        if np.allclose(end, start):
            return Code.NOT_TRAINED, {"ko": f"초기값 {pair(W_INIT)} 그대로입니다", "en": f"are still the initial {pair(W_INIT)}"}
        data = data_for(ctx, q.question, None)
        if data.X is None or data.y is None or data.X.shape != (data.y.size, 2):
            return None
        X, y = data.X, data.y.reshape(-1)
        grad = ctx.get(f"{q.path}.weight.grad")
        held = (np.asarray(grad["values"], dtype=float).reshape(-1) if grad.get("kind") == "tensor"
                and grad.get("values") is not None and np.size(grad["values"]) == 2 else None)
        cleared = held is None or np.allclose(held, 0.0, atol=1e-6) or np.allclose(held, mse_grad(X, y, end),
                                                                                  rtol=1e-2, atol=1e-3)
        if accumulates and cleared:
            return Code.ZERO_GRAD_IN_HOMEWORK, ""
        if not accumulates and not cleared:
            return Code.NO_ZERO_GRAD, ""
        if not accumulates and not np.mean((y - X @ end) ** 2) < np.mean((y - X @ start) ** 2):
            return Code.NOT_TRAINED, {"ko": "데이터에 대한 손실(MSE)을 시작할 때보다 줄이지 못했습니다",
                                      "en": "do not lower the loss (MSE) on your data below the start's"}
        return None

    return check
