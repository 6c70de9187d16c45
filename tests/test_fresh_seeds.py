"""Never accuse an honest student: the fresh data of the second run must not change any grade.

For the solution, the lecture's own code and every honest one-slip mutant, the scores and mistake
codes are the same whichever fresh seed the grader draws. 24 seeds are drawn as the grader draws
them (well-conditioned data only). The solution and the lecture's code are graded on all 24; each
mutant on 6 of them, in turn, so that every seed is tried on 6 mutants. Executed in this
process's forks, two at a time: fast, and for tests only (these notebooks are our own).
"""

import functools
import multiprocessing
import os
import random
from concurrent.futures import ProcessPoolExecutor

import mutants
import nbformat
import pytest
from conftest import EXAMPLES

from autograder.judge.assess import InProcess, Limits, assess
from autograder.judge.expected import Reference, well_conditioned
from solutions import reference

SEEDS = 24
PER_MUTANT = 6
CONTROLS = ["solution", "lecture"]
NOTEBOOKS = [*CONTROLS, *sorted(mutants.SUITE)]


def seeds_of(name: str, all_seeds: list[int]) -> list[int]:
    """All seeds for the controls; for the i-th mutant, PER_MUTANT seeds from position i * PER_MUTANT on."""
    if name in CONTROLS:
        return all_seeds
    start = NOTEBOOKS.index(name) * PER_MUTANT
    return [all_seeds[(start + k) % len(all_seeds)] for k in range(PER_MUTANT)]


def seeds() -> list[int]:
    """Fresh seeds as the grader draws them, but reproducibly: well-conditioned data only."""
    rng, out = random.Random(20261128), []
    while len(out) < SEEDS:
        seed = rng.randrange(100_000_000, 1_000_000_000)
        if well_conditioned(Reference(reference.make_data(seed), seed)):
            out.append(seed)
    return out


@functools.lru_cache(maxsize=None)
def cells_of(name: str) -> list[str]:
    nb = nbformat.read(EXAMPLES / "lecture.ipynb", as_version=4) if name == "lecture" else mutants.mutant(name)
    return [c.source for c in nb.cells if c.cell_type == "code"]


class Remembering(InProcess):
    """The in-process runner, remembering each official run: the same cells give the same run, so a
    notebook's official run is made once per process, whatever the fresh seed."""

    runs: dict = {}

    def run(self, job):
        if job.run != 0:
            return super().run(job)
        key = tuple(job.cells)
        if key not in self.runs:
            self.runs[key] = super().run(job)
        return self.runs[key]


def outcome(name: str, seed: int) -> tuple:
    """(total, ((check, points, mistake), ...)) of a notebook assessed with this fresh seed."""
    fresh_ref = Reference(reference.make_data(seed), seed, closed_form_loops=True)  # as the grader draws it
    verdict, _ = assess(cells_of(name), Remembering(), Limits(60, 2048), draw=lambda: fresh_ref)
    return (sum(r.points for r in verdict.records),
            tuple((f"{r.question}:{r.check}", r.points, r.mistake) for r in verdict.records if r.hidden))


def _task(args):
    name, seed = args
    return name, seed, outcome(name, seed)


@pytest.fixture(scope="module")
def outcomes():
    all_seeds = seeds()
    tasks = [(name, seed) for name in NOTEBOOKS for seed in seeds_of(name, all_seeds)]
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork")) as pool:
        found: dict[str, dict[int, tuple]] = {}
        for name, seed, result in pool.map(_task, tasks, chunksize=10):
            found.setdefault(name, {})[seed] = result
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_an_honest_notebook_gets_the_same_grade_on_every_fresh_seed(outcomes, name):
    by_seed = outcomes[name]
    assert len(by_seed) == (SEEDS if name in CONTROLS else PER_MUTANT)
    first_seed, first = next(iter(by_seed.items()))
    differing = {seed: result[0] for seed, result in by_seed.items() if result != first}
    assert differing == {}, f"{name}: seed {first_seed} gives {first[0]}, these differ: {differing}"
    assert not any(mistake == "hard_coded" for _, _, mistake in first[1])
