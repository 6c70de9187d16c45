"""Reference solution for week 4: every value the homework grades, as pure functions.

Nothing here reads notebook state or globals: each function takes the data, the initial
weights, the learning rate and the number of epochs, so the grader can recompute expected
values on any data (the official seed, or a fresh one to catch hard-coded answers).
Weights are always given and returned in the lecture's canonical order (w0, w1) =
(bias, slope); each method maps them onto its own parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.optim.sgd import sgd

from autograder.spec.constants import EPOCHS, LR, SEED, W_INIT, W_TRUE, N

__all__ = ["EPOCHS", "LR", "N", "SEED", "W_INIT", "W_TRUE", "make_data", "step", "train", "least_squares",
           "accumulated_grad"]


@dataclass(frozen=True)
class Data:
    x: torch.Tensor  # (n,)   sorted inputs
    X: torch.Tensor  # (n, 2) design matrix [1, x]
    y: torch.Tensor  # (n,)   noisy responses


@dataclass(frozen=True)
class Method:
    """One of the lecture's six ways to write the model and the loss."""

    number: int
    model: str  # "manual" (X @ What), "linear" (nn.Linear(2,1,bias=False)), "linear_bias" (nn.Linear(1,1))
    loss: str  # "manual" (torch.mean((y-yhat)**2)) or "mseloss" (torch.nn.MSELoss())
    update: str  # "manual" (w - lr*grad) or "sgd" (torch.optim.SGD's step)


METHODS = {
    1: Method(1, "manual", "manual", "manual"),
    2: Method(2, "linear", "manual", "sgd"),
    3: Method(3, "linear_bias", "manual", "sgd"),
    4: Method(4, "manual", "mseloss", "manual"),
    5: Method(5, "linear", "mseloss", "sgd"),
    6: Method(6, "linear_bias", "mseloss", "sgd"),
}


def make_data(seed: int = SEED, n: int = N) -> Data:
    """The lecture's data cell, always on the CPU in float32. It draws from a generator of its own
    seeded as `torch.manual_seed(seed)` seeds the global one (the same numbers), so it never touches
    the global state: the grader draws fresh data in several threads at once."""
    gen = torch.Generator().manual_seed(seed)
    ones = torch.ones(n)
    x, _ = torch.randn(n, generator=gen).sort()
    X = torch.vstack([ones, x]).T
    W = torch.tensor(W_TRUE)
    eps = torch.randn(n, generator=gen) * 0.5
    y = X @ W + eps
    return Data(x=x, X=X, y=y)


def _params(method: Method, w: tuple[float, float]) -> dict[str, torch.Tensor]:
    """Leaf tensors laid out as the lecture declares them for this method."""
    w0, w1 = float(w[0]), float(w[1])
    if method.model == "manual":
        return {"What": torch.tensor([w0, w1], requires_grad=True)}
    if method.model == "linear":
        return {"weight": torch.tensor([[w0, w1]], requires_grad=True)}
    return {
        "bias": torch.tensor([[w0]], requires_grad=True),
        "weight": torch.tensor([[w1]], requires_grad=True),
    }


def _canonical(method: Method, tensors: dict[str, torch.Tensor]) -> tuple[float, float]:
    """(w0, w1) from a method's parameters (or from their gradients)."""
    t = {k: v.detach().reshape(-1) for k, v in tensors.items()}
    if method.model == "manual":
        return float(t["What"][0]), float(t["What"][1])
    if method.model == "linear":
        return float(t["weight"][0]), float(t["weight"][1])
    return float(t["bias"][0]), float(t["weight"][0])


def _forward(method: Method, data: Data, params: dict[str, torch.Tensor]):
    if method.model == "manual":
        yhat = data.X @ params["What"]
        target = data.y
    elif method.model == "linear":
        yhat = data.X @ params["weight"].T
        target = data.y.reshape(-1, 1)
    else:
        yhat = data.x.reshape(-1, 1) @ params["weight"].T + params["bias"]
        target = data.y.reshape(-1, 1)
    if method.loss == "manual":
        loss = torch.mean((target - yhat) ** 2)
    else:
        loss = torch.nn.MSELoss()(target, yhat)
    return yhat, loss


@dataclass(frozen=True)
class Step:
    """Everything one method produces from one set of weights."""

    yhat: torch.Tensor  # (n,) for the hand-written model, (n, 1) for nn.Linear
    loss: float
    grad: tuple[float, float]  # d loss / d (w0, w1)
    updated: tuple[float, float]  # (w0, w1) after one update at lr


def sgd_step(params: list[torch.Tensor], lr: float = LR) -> None:
    """One `torch.optim.SGD(params, lr=lr).step()`: the function that step runs, called directly.

    The SGD object would import torch._dynamo on first use (about 2 s of CPU), and the grader's
    own process needs only these numbers (tests/test_reference.py ties the two together)."""
    with torch.no_grad():
        sgd(params, [p.grad for p in params], [None] * len(params), weight_decay=0.0, momentum=0.0,
            lr=lr, dampening=0.0, nesterov=False, maximize=False)


def step(data: Data, method: int, w: tuple[float, float] = W_INIT, lr: float = LR) -> Step:
    """yhat, loss, gradient (step 3) and one update (step 4) for one of the six methods."""
    m = METHODS[method]
    params = _params(m, w)
    yhat, loss = _forward(m, data, params)
    loss.backward()
    grad = _canonical(m, {k: p.grad for k, p in params.items()})
    if m.update == "manual":
        with torch.no_grad():
            new = {k: p - lr * p.grad for k, p in params.items()}
    else:
        sgd_step(list(params.values()), lr)
        new = params
    return Step(yhat=yhat.detach(), loss=float(loss.detach()), grad=grad, updated=_canonical(m, new))


def train(
    data: Data,
    w: tuple[float, float] = W_INIT,
    lr: float = LR,
    epochs: int = EPOCHS,
    zero_grad: bool = True,
) -> tuple[float, float]:
    """The lecture's training loop (nn.Linear without bias, MSELoss, SGD); final (w0, w1).

    With zero_grad=False it is the homework: gradients accumulate across epochs.
    """
    weight = torch.tensor([[float(w[0]), float(w[1])]], requires_grad=True)
    mseloss = torch.nn.MSELoss()
    target = data.y.reshape(-1, 1)
    for _ in range(epochs):
        loss = mseloss(target, data.X @ weight.T)
        loss.backward()
        sgd_step([weight], lr)  # optmz.step()
        if zero_grad:
            weight.grad = None  # optmz.zero_grad()
    v = weight.detach().reshape(-1)
    return float(v[0]), float(v[1])


def least_squares(data: Data) -> tuple[float, float]:
    """The closed-form solution the zero_grad loop converges to."""
    sol = torch.linalg.lstsq(data.X.double(), data.y.double().reshape(-1, 1)).solution
    return float(sol[0, 0]), float(sol[1, 0])


def accumulated_grad(data: Data, w: tuple[float, float] = W_INIT, times: int = 2):
    """Gradient left in .grad after `times` backward passes without zeroing (SGD definition part)."""
    What = torch.tensor([float(w[0]), float(w[1])], requires_grad=True)
    for _ in range(times):
        torch.mean((data.y - data.X @ What) ** 2).backward()
    return float(What.grad[0]), float(What.grad[1])
