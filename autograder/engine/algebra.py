"""Closed forms of the lecture's computations, in numpy.

Checks use these to recompute what a student's own earlier values imply (their X, y,
weights, loss and gradient), which reveals no reference value. They are not the reference
solution: that is torch code, and it never ships to students.
"""

from __future__ import annotations

import numpy as np


# Loss variants, each as (value(y, yhat), d value / d yhat). "mse" is the lecture's loss; the
# others are the mistakes of the same name in mistakes.py. y and yhat arrive flattened to (n,).
def _bcast(y, yhat):
    return y[None, :] - yhat[:, None]  # (100,) minus (100, 1): a 100×100 matrix


def _huber(r):
    """nn.SmoothL1Loss / nn.HuberLoss with their default beta = delta = 1, per element."""
    a = np.abs(r)
    return np.where(a < 1.0, 0.5 * r**2, a - 0.5)


LOSSES = {
    "mse": (lambda y, yh: np.mean((y - yh) ** 2), lambda y, yh: -2.0 / len(y) * (y - yh)),
    "broadcast": (lambda y, yh: np.mean(_bcast(y, yh) ** 2), lambda y, yh: -2.0 / len(y) * (np.mean(y) - yh)),
    "sum_not_mean": (lambda y, yh: np.sum((y - yh) ** 2), lambda y, yh: -2.0 * (y - yh)),
    "rmse_not_mse": (
        lambda y, yh: np.sqrt(np.mean((y - yh) ** 2)),
        lambda y, yh: -(y - yh) / (len(y) * np.sqrt(np.mean((y - yh) ** 2))),
    ),
    "mae_not_mse": (lambda y, yh: np.mean(np.abs(y - yh)), lambda y, yh: -np.sign(y - yh) / len(y)),
    "huber_not_mse": (lambda y, yh: np.mean(_huber(y - yh)), lambda y, yh: -np.clip(y - yh, -1.0, 1.0) / len(y)),
}

# "scaled_mse": the MSE times a constant a student writes on purpose (1/2 "for a nicer derivative",
# 1/(n-1) as for a variance, ...). Only these factors: any wrong loss is *some* multiple of the MSE.
def scale_factors(n: int) -> tuple[float, ...]:
    return (0.5, 2.0, 0.25, 4.0, 1 / 3, 3.0, 0.1, 10.0, n / (n - 1), (n - 1) / n)


def identify_loss(value: float, y: np.ndarray, yhat: np.ndarray, close) -> tuple[str, np.ndarray] | None:
    """(which loss the value is, its derivative by yhat) among LOSSES and the scaled MSE; else None.
    `close(a, b)` is the comparator's test."""
    y, yhat, v = y.reshape(-1), yhat.reshape(-1), np.array([float(value)])
    for name, (f, df) in LOSSES.items():
        if close(v, np.array([f(y, yhat)])):
            return name, df(y, yhat)
    mse = LOSSES["mse"][0](y, yhat)
    for c in scale_factors(len(y)):
        if close(v, np.array([c * mse])):
            return "scaled_mse", c * LOSSES["mse"][1](y, yhat)
    return None


def loss(variant: str, y: np.ndarray, yhat: np.ndarray) -> float:
    return float(LOSSES[variant][0](y.reshape(-1), yhat.reshape(-1)))


def dloss_dyhat(variant: str, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    return LOSSES[variant][1](y.reshape(-1), yhat.reshape(-1))


def mse_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """d/dw mean((y - X w)^2) = -2/n X^T (y - X w), for w = (w0, w1)."""
    return X.T @ dloss_dyhat("mse", y, X @ w.reshape(-1))


def gradient_descent(X, y, w, lr: float, epochs: int, zero_grad: bool = True, dloss=None) -> np.ndarray:
    """The training loop; without zero_grad every step uses the running sum of gradients.
    `dloss(y, yhat)`: the derivative of another loss by yhat (default: the MSE's)."""
    w = np.asarray(w, dtype=np.float64).reshape(-1).copy()
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if dloss is None and X.shape == (y.size, 2) and w.size == 2:
        # the MSE's gradient is 2/n (X^T X w - X^T y): 2x2 arithmetic per epoch, in floats
        y = y.reshape(-1)
        (a, b), (_, d) = (X.T @ X * (2.0 / len(y))).tolist()
        e, f = (X.T @ y * (2.0 / len(y))).tolist()
        w0, w1, g0, g1 = float(w[0]), float(w[1]), 0.0, 0.0
        for _ in range(epochs):
            h0, h1 = a * w0 + b * w1 - e, b * w0 + d * w1 - f
            g0, g1 = (h0, h1) if zero_grad else (g0 + h0, g1 + h1)
            w0, w1 = w0 - lr * g0, w1 - lr * g1
        return np.array([w0, w1])
    acc = np.zeros_like(w)
    for _ in range(epochs):
        g = mse_grad(X, y, w) if dloss is None else X.T @ dloss(y.reshape(-1), X @ w)
        acc = g if zero_grad else acc + g
        w = w - lr * acc
    return w


def step_before_backward(X, y, w, lr: float, epochs: int, zero_grad: bool = True) -> np.ndarray:
    """The loop with step() before backward(): each step uses the gradients kept from earlier epochs
    (none at first), and backward() then adds the gradient at the weights the loss was computed at."""
    w = np.asarray(w, dtype=np.float64).reshape(-1).copy()
    kept = None
    for _ in range(epochs):
        at = w.copy()
        if kept is not None:
            w = w - lr * kept
            if zero_grad:
                kept = None
        g = mse_grad(X, y, at)
        kept = g if kept is None else kept + g
    return w


def trajectory(X, y, w, lr: float, epochs: int, zero_grad: bool = True) -> list[np.ndarray]:
    """The weights after each epoch, 1..epochs, of the same loop as gradient_descent."""
    w = np.asarray(w, dtype=np.float64).reshape(-1).copy()
    acc, out = np.zeros_like(w), []
    for _ in range(epochs):
        g = mse_grad(X, y, w)
        acc = g if zero_grad else acc + g
        w = w - lr * acc
        out.append(w)
    return out


def start_of(X, y, lr: float, epochs: int, zero_grad: bool, end) -> np.ndarray | None:
    """The start w0 with gradient_descent(w0) = end: the loop is affine in w0, end = A w0 + b.
    None when A is too close to singular (a loop that has converged forgets its start)."""
    b = gradient_descent(X, y, np.zeros(2), lr, epochs, zero_grad)
    A = np.column_stack([gradient_descent(X, y, e, lr, epochs, zero_grad) - b for e in np.eye(2)])
    if np.linalg.cond(A) > 1e8 or np.abs(A).max() < 1e-6:
        return None
    return np.linalg.solve(A, np.asarray(end, dtype=np.float64).reshape(-1) - b)
