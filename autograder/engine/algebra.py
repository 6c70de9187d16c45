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
    c = float(value) / mse if mse else float("nan")
    if is_factor(c):  # c × the MSE for one c: whether c is a constant, both runs tell (grading)
        return "scaled_mse", c * LOSSES["mse"][1](y, yhat)
    return None


# a factor of the scaled MSE: far enough from 1 to be told from the MSE at the comparator's tolerance,
# and from 0 and infinity so that its gradient is told from zero (a loss times 1e-9 has a gradient of
# about 0: "right given the student's loss" would then credit doing nothing)
FACTORS = (1e-3, 1e3)


def is_factor(c: float) -> bool:
    return bool(np.isfinite(c) and FACTORS[0] <= c <= FACTORS[1] and abs(c - 1.0) > 1e-3)


def loss(variant: str, y: np.ndarray, yhat: np.ndarray) -> float:
    return float(LOSSES[variant][0](y.reshape(-1), yhat.reshape(-1)))


def dloss_dyhat(variant: str, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    return LOSSES[variant][1](y.reshape(-1), yhat.reshape(-1))


def mse_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """d/dw mean((y - X w)^2) = -2/n X^T (y - X w), for w = (w0, w1)."""
    return X.T @ dloss_dyhat("mse", y, X @ w.reshape(-1))
