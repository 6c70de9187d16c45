"""The summary's figures, drawn with matplotlib and returned as PNG data URIs (self-contained pages)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from autograder.spec.constants import W_INIT  # noqa: E402


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


def loop_weights(points: list[tuple[float, float]], ends: dict[str, tuple[float, float]], labels: dict[str, str]) -> str:
    """Each student's final (w0, w1) after the training loop, against where the loops end (`ends`:
    "loop" with zero_grad, "homework" without) and where they start."""
    fig, ax = plt.subplots(figsize=(5.5, 4))
    if points:
        ax.scatter([p[0] for p in points], [p[1] for p in points], s=28, alpha=0.6, color="#3b6ea5",
                   label=labels["students"])
    if "loop" in ends:
        ax.scatter(*ends["loop"], marker="*", s=260, color="#2e8b57", edgecolor="black", label=labels["lstsq"], zorder=3)
    if "homework" in ends:
        ax.scatter(*ends["homework"], marker="X", s=160, color="#c0392b", edgecolor="black", label=labels["nozero"],
                   zorder=3)
    ax.scatter(*W_INIT, marker="o", s=60, facecolor="none", edgecolor="gray", label=labels["start"], zorder=3)
    ax.set_xlabel("$w_0$")
    ax.set_ylabel("$w_1$")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return _uri(fig)
