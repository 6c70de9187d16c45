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


LOSSES = {
    "mse": (lambda y, yh: np.mean((y - yh) ** 2), lambda y, yh: -2.0 / len(y) * (y - yh)),
    "broadcast": (lambda y, yh: np.mean(_bcast(y, yh) ** 2), lambda y, yh: -2.0 / len(y) * (np.mean(y) - yh)),
    "sum_not_mean": (lambda y, yh: np.sum((y - yh) ** 2), lambda y, yh: -2.0 * (y - yh)),
    "rmse_not_mse": (
        lambda y, yh: np.sqrt(np.mean((y - yh) ** 2)),
        lambda y, yh: -(y - yh) / (len(y) * np.sqrt(np.mean((y - yh) ** 2))),
    ),
}


def loss(variant: str, y: np.ndarray, yhat: np.ndarray) -> float:
    return float(LOSSES[variant][0](y.reshape(-1), yhat.reshape(-1)))


def dloss_dyhat(variant: str, y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    return LOSSES[variant][1](y.reshape(-1), yhat.reshape(-1))


def mse_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """d/dw mean((y - X w)^2) = -2/n X^T (y - X w), for w = (w0, w1)."""
    return X.T @ dloss_dyhat("mse", y, X @ w.reshape(-1))


def gradient_descent(X, y, w, lr: float, epochs: int, zero_grad: bool = True) -> np.ndarray:
    """The training loop; without zero_grad every step uses the running sum of gradients."""
    w = np.asarray(w, dtype=np.float64).reshape(-1).copy()
    acc = np.zeros_like(w)
    for _ in range(epochs):
        g = mse_grad(X, y, w)
        acc = g if zero_grad else acc + g
        w = w - lr * acc
    return w
