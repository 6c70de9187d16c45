"""The summary's figures, drawn with matplotlib and returned as PNG data URIs (self-contained pages)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LEAST_SQUARES = (2.5306, 3.9915)  # where the loop with zero_grad ends (reference, official data)
NO_ZERO_GRAD = (-1.6055, 9.7606)  # where it ends without zero_grad


def _uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def histogram(scores: list[float], max_score: float, labels: dict[str, str]) -> str:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(scores, bins=min(20, max(5, int(max_score) // 3 or 5)), range=(0, max_score), color="#3b6ea5",
            edgecolor="white")
    ax.set_xlabel(labels["score"])
    ax.set_ylabel(labels["count"])
    ax.set_xlim(0, max_score)
    return _uri(fig)


def rates(names: list[str], values: list[float], xlabel: str) -> str:
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) + 0.8))
    ax.barh(names[::-1], [100 * v for v in values[::-1]], color="#4c9a6a")
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    return _uri(fig)


def loop_weights(points: list[tuple[float, float]], labels: dict[str, str]) -> str:
    """Each student's final (w0, w1) after the training loop, against where training should end."""
    fig, ax = plt.subplots(figsize=(5.5, 4))
    if points:
        ax.scatter([p[0] for p in points], [p[1] for p in points], s=28, alpha=0.6, color="#3b6ea5",
                   label=labels["students"])
    ax.scatter(*LEAST_SQUARES, marker="*", s=260, color="#2e8b57", edgecolor="black", label=labels["lstsq"], zorder=3)
    ax.scatter(*NO_ZERO_GRAD, marker="X", s=160, color="#c0392b", edgecolor="black", label=labels["nozero"], zorder=3)
    ax.scatter(-5, 10, marker="o", s=60, facecolor="none", edgecolor="gray", label=labels["start"], zorder=3)
    ax.set_xlabel("$w_0$")
    ax.set_ylabel("$w_1$")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return _uri(fig)
