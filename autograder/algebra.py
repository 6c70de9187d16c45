"""Closed forms of the lecture's computations, in numpy.

Public checks use these to recompute a student's next step from the student's own values
(their X, y, weights and gradient), which reveals no reference value. They are not the
reference solution: that is torch code, and it never ships to students.
"""

from __future__ import annotations

import numpy as np


def mse(y: np.ndarray, yhat: np.ndarray) -> float:
    return float(np.mean((y.reshape(-1) - yhat.reshape(-1)) ** 2))


def mse_broadcast(y: np.ndarray, yhat: np.ndarray) -> float:
    """The loss a student gets from (100,) minus (100, 1): a mean over a 100×100 matrix."""
    return float(np.mean((y.reshape(-1) - yhat.reshape(-1, 1)) ** 2))


def mse_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """d/dw mean((y - X w)^2) = -2/n X^T (y - X w), for w = (w0, w1)."""
    r = y.reshape(-1) - X @ w.reshape(-1)
    return -2.0 / len(r) * (X.T @ r)


def gradient_descent(X, y, w, lr: float, epochs: int, zero_grad: bool = True) -> np.ndarray:
    """The training loop; without zero_grad every step uses the running sum of gradients."""
    w = np.asarray(w, dtype=np.float64).reshape(-1).copy()
    acc = np.zeros_like(w)
    for _ in range(epochs):
        g = mse_grad(X, y, w)
        acc = g if zero_grad else acc + g
        w = w - lr * acc
    return w
