"""The summary's figures, drawn with matplotlib and returned as PNG data URIs (self-contained pages).

Korean labels need a font with Hangul. None is shipped: `hangul_font` looks for one installed on the
system (fonts-nanum on CI); where there is none, the pages use English labels (pages.plot_labels).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from autograder.spec.constants import W_INIT  # noqa: E402

# families with Hangul, best first: matched (case and spaces ignored) against the start of a font's name
HANGUL_FAMILIES = ("NanumGothic", "NanumBarunGothic", "NanumSquare", "Nanum", "NotoSansCJKkr", "NotoSansKR",
                   "NotoSansCJK", "SourceHanSans", "UnDotum", "Baekmuk", "MalgunGothic", "AppleSDGothicNeo",
                   "AppleGothic")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name).casefold()


def _rank(name: str) -> int | None:
    key = _key(name)
    return next((i for i, family in enumerate(HANGUL_FAMILIES) if key.startswith(_key(family))), None)


def _has_hangul(path: str) -> bool:
    try:
        charmap = FT2Font(path).get_charmap()
    except Exception:  # an unreadable font file is simply not a candidate
        return False
    return all(ord(c) in charmap for c in "가힣한글")


@functools.lru_cache(maxsize=1)
def hangul_font() -> str | None:
    """The family name of an installed font that draws Hangul, or None.

    matplotlib's font list is cached on first use, so a font installed after that (fonts-nanum on a
    machine that had already run matplotlib) is not in it: the system's font files whose names look
    like one of HANGUL_FAMILIES are added first. A candidate must map Hangul syllables."""
    known = {Path(f.fname).name for f in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if Path(path).name not in known and _rank(Path(path).stem) is not None:
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # noqa: S112 (a broken font file: try the next one)
                continue
    candidates = sorted((f for f in font_manager.fontManager.ttflist if _rank(f.name) is not None),
                        key=lambda f: (_rank(f.name), f.weight not in ("normal", "regular", 400), f.style != "normal"))
    return next((f.name for f in candidates if _has_hangul(f.fname)), None)


@contextlib.contextmanager
def _fonts(labels: dict[str, str]):
    """Draw with the Hangul font (falling back to DejaVu Sans glyph by glyph) when a label needs it."""
    family = hangul_font() if any(HANGUL.search(v) for v in labels.values()) else None
    with plt.rc_context({"font.family": [family, "DejaVu Sans"]} if family else {}):
        yield


def _uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def histogram(scores: list[float], max_score: float, labels: dict[str, str]) -> str:
    with _fonts(labels):
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.hist(scores, bins=min(20, max(5, int(max_score) // 3 or 5)), range=(0, max_score), color="#3b6ea5",
                edgecolor="white")
        ax.set_xlabel(labels["score"])
        ax.set_ylabel(labels["count"])
        ax.set_xlim(0, max_score)
        return _uri(fig)


def rates(names: list[str], values: list[float], labels: dict[str, str]) -> str:
    with _fonts(labels):
        fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) + 0.8))
        ax.barh(names[::-1], [100 * v for v in values[::-1]], color="#4c9a6a")
        ax.set_xlim(0, 100)
        ax.set_xlabel(labels["rate"])
        return _uri(fig)


def _view(ends: dict[str, tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The box the plot shows: the start and the two end points with a wide margin."""
    xs = [W_INIT[0], *(e[0] for e in ends.values())]
    ys = [W_INIT[1], *(e[1] for e in ends.values())]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    return (min(xs) - span, max(xs) + span), (min(ys) - span, max(ys) + span)


def loop_figure(points: list[tuple[float, float]], ends: dict[str, tuple[float, float]],
                labels: dict[str, str]) -> Figure:
    """Each student's final (w0, w1) after the training loop (one point each: the figure's first
    collection), against where the loops end (`ends`: "loop" with zero_grad, "homework" without) and
    where they start. A point far outside is drawn on the edge of the view, hollow. Students are drawn
    over the reference marks, so that one who reached an end point shows on it."""
    (x0, x1), (y0, y1) = _view(ends)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    finite = [p for p in points if all(math.isfinite(v) for v in p)]
    inside = [x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in finite]
    clipped = [(min(max(p[0], x0), x1), min(max(p[1], y0), y1)) for p in finite]
    ax.scatter([p[0] for p in clipped], [p[1] for p in clipped], s=28, alpha=0.6,
               facecolors=["#3b6ea5" if i else "none" for i in inside], edgecolors="#3b6ea5",
               label=labels["students"] + (f" ({len(finite)})" if finite else ""), zorder=4)
    if "loop" in ends:
        ax.scatter(*ends["loop"], marker="*", s=260, color="#2e8b57", edgecolor="black", label=labels["lstsq"], zorder=3)
    if "homework" in ends:
        ax.scatter(*ends["homework"], marker="X", s=160, color="#c0392b", edgecolor="black", label=labels["nozero"],
                   zorder=3)
    ax.scatter(*W_INIT, marker="o", s=60, facecolor="none", edgecolor="gray", label=labels["start"], zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$w_0$")
    ax.set_ylabel("$w_1$")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def loop_weights(points: list[tuple[float, float]], ends: dict[str, tuple[float, float]], labels: dict[str, str]) -> str:
    with _fonts(labels):
        return _uri(loop_figure(points, ends, labels))
