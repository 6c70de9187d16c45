"""Expected values, computed by the reference solution on the same seeded data.

Grading side only: this module imports the reference and never ships to students.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from solutions import reference

# The reference's tensors are tiny: on several threads torch only fights the workers for the cores
# (a training loop takes 4x as long on 2 threads as on 1 here).
torch.set_num_threads(1)


class Reference:
    """Lazily computed reference values for one data set, in the layouts questions.py expects.

    `closed_form_loops`: the two 100-epoch loops from their closed form (judge/loops.gradient_descent,
    float64) instead of the torch loop: what a fresh data set per submission can afford (about 1 ms
    instead of 40). The two agree far inside the loops' tolerance (tests/test_reference.py).
    """

    def __init__(self, data: reference.Data, seed: int, closed_form_loops: bool = False):
        self.seed = seed
        self.data = _Numpy(data)
        self._data = data
        self._closed_form = closed_form_loops
        self._steps: dict[int, reference.Step] = {}
        self._trained: dict[bool, tuple[float, float]] = {}

    def step(self, method: int) -> reference.Step:
        if method not in self._steps:
            self._steps[method] = reference.step(self._data, method, reference.W_INIT, reference.LR)
        return self._steps[method]

    def train(self, zero_grad: bool) -> tuple[float, float]:
        if zero_grad not in self._trained and self._closed_form:
            self._trained[zero_grad] = tuple(_facts(self.data)["loop" if zero_grad else "homework"])
        if zero_grad not in self._trained:
            self._trained[zero_grad] = reference.train(
                self._data, reference.W_INIT, reference.LR, reference.EPOCHS, zero_grad=zero_grad
            )
        return self._trained[zero_grad]

    def accumulated_grad(self, times: int) -> tuple[float, float]:
        return reference.accumulated_grad(self._data, reference.W_INIT, times)


def computed(ref: Reference) -> Reference:
    """Every expected value computed now (a few hundred ms of torch), not at the first judgement."""
    from autograder.spec.questions import QUANTITIES

    for q in QUANTITIES.values():
        q.expected(ref)
    return ref


class _Numpy:
    def __init__(self, data: reference.Data):
        self.x, self.X, self.y = (np.asarray(t.tolist()) for t in (data.x, data.X, data.y))


@lru_cache(maxsize=4)
def expected_values(seed: int = reference.SEED) -> Reference:
    return Reference(reference.make_data(seed), seed)


def _facts(data: "_Numpy") -> dict[str, np.ndarray]:
    """The scored values in closed form (numpy, float64): a cheap stand-in for screening seeds."""
    from autograder.engine.algebra import loss, mse_grad
    from autograder.judge.loops import gradient_descent

    w = np.asarray(reference.W_INIT)
    g = mse_grad(data.X, data.y, w)
    loop = lambda zero_grad: gradient_descent(data.X, data.y, w, reference.LR, reference.EPOCHS, zero_grad)  # noqa: E731
    return {"loss": np.array([loss("mse", data.y, data.X @ w)]), "grad": g, "update": w - reference.LR * g,
            "loop": loop(True), "homework": loop(False)}


@lru_cache(maxsize=1)
def _official_facts() -> dict[str, np.ndarray]:
    return _facts(expected_values().data)


def well_conditioned(ref: Reference) -> bool:
    """Fresh data on which an honest notebook cannot be mistaken for a slip, nor a typed-in answer
    for a computed one: every step moves far beyond the tolerance, the loss variants and the two
    loops are far apart, the loops stay finite, and every scored value is far from the official one
    (each loss, gradient and update component alone, since a bias is graded alone; a loop's pair).
    Screened in closed form, so the torch reference is only computed for what the judge asks."""
    from autograder.engine.algebra import LOSSES, loss, scale_factors

    new, old = _facts(ref.data), _official_facts()

    def far(kind: str, tol: float) -> np.ndarray:
        return np.abs(new[kind] - old[kind]) > 2 * (tol + tol * np.abs(old[kind]))

    if not (all(far(k, 1e-4).all() for k in ("loss", "grad", "update"))
            and far("loop", 1e-3).any() and far("homework", 1e-3).any()):
        return False
    values = {name: loss(name, ref.data.y, ref.data.X @ np.asarray(reference.W_INIT)) for name in LOSSES}
    losses = sorted([*values.values(), *(c * values["mse"] for c in scale_factors(len(ref.data.y)) if c != 1)])
    loops = np.array([new["loop"], new["homework"]])
    return (float(np.abs(new["grad"]).min()) > 1.0
            and all(b > 1.01 * a for a, b in zip(losses, losses[1:]))
            and bool(np.all(np.isfinite(loops))) and float(np.abs(loops).max()) < 100
            and float(np.abs(loops[0] - loops[1]).max()) > 0.1)


def fresh_reference() -> Reference:
    """The reference on fresh data for one submission's second run: a seed nobody can know before
    grading, drawn until the data are well conditioned."""
    from autograder.run.reseed import fresh_seed

    while True:
        seed = fresh_seed()
        ref = Reference(reference.make_data(seed), seed, closed_form_loops=True)
        if well_conditioned(ref):
            return ref
