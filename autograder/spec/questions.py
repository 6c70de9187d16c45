"""The homework as data: its questions, the quantities each one grades, and their points.

This is the one place points are defined. Each quantity becomes two otter test cases: a
public one (worth 0: structure and self-consistency, shipped with the notebook) and a
hidden one (worth `points`: the value against the reference). `names` are the globals
captured at the question's check cell, and a check reads them from there first, so a later
cell that reuses a name (the homework reuses `net` and `optmz`) does not change an earlier
question's grade. A name that is not defined at its check cell is looked up in the later
snapshots, newest first (engine/checks.Context.get): a check cell run before its blank was
filled still sees the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from autograder.engine import checks as c
from autograder.spec.codes import Kind
from autograder.spec.constants import LOOP_TOL

# Points policy for a step that is wrong against the reference but right given the student's
# own earlier (wrong) values: the fraction of its points it earns. 1.0 = full credit (default),
# 0.5 = half, 0.0 = none. The earlier slip is named, and loses its points, where it happened.
CARRY_FORWARD = 1.0


@dataclass(frozen=True)
class Quantity:
    question: str
    path: str  # what the student holds: "loss1", "net3.bias.grad", "net2.weight", "net" (its weights as (w0, w1))
    layout: str  # see compare.LAYOUTS
    points: float
    expected: Callable[[Any], Any]  # reference (autograder.judge.expected.Reference) -> value in layout
    kind: Kind  # what it is: decides its implied value (own.IMPLIED) and recognisers (mistakes.CATALOGUE)
    structure: tuple[c.Check, ...] = ()
    # public checks that stand in for the implied value where the student's kernel has none (the
    # loops: computing them there would ship a solver)
    progress: tuple[c.Check, ...] = ()
    inputs: tuple[str, ...] = ()  # keys of the quantities it is computed from
    data: tuple[str, ...] = ()  # the data names (X, y, x) its value is computed from
    method: str = ""  # the question whose snapshot holds its inputs (model, yhat, loss)
    model: str = ""
    yhat: str = ""
    loss: str = ""
    rtol: float = 1e-4
    atol: float = 1e-4

    @property
    def key(self) -> str:
        return f"{self.question}:{self.path}"

    @property
    def at(self) -> str:
        """The snapshot whose data this quantity was computed from."""
        return self.method or self.question


@dataclass(frozen=True)
class Question:
    name: str
    names: tuple[str, ...]
    quantities: tuple[Quantity, ...] = field(default=())
    title: str = ""
    # names found by the role they play (engine/roles.py), whatever the student called them:
    # (name, "model"): the model the question's loop trained; (name, model): that model's optimizer
    roles: tuple[tuple[str, str], ...] = ()

    @property
    def points(self) -> float:
        return sum(q.points for q in self.quantities)

    def quantity(self, path: str) -> Quantity:
        return next(q for q in self.quantities if q.path == path)


MODEL = {1: "What1", 2: "net2", 3: "net3", 4: "What4", 5: "net5", 6: "net6"}
HAND_WRITTEN = (1, 4)
WITH_BIAS = (3, 6)


def _params(m: int) -> list[tuple[str, str, Callable]]:
    """(path, layout, canonical part) of each parameter method m updates: (w0, w1) or one of them."""
    model = MODEL[m]
    if m in HAND_WRITTEN:
        return [(model, "pair", lambda v: v)]
    if m in WITH_BIAS:
        return [(f"{model}.bias", "one", lambda v: [v[0]]), (f"{model}.weight", "one", lambda v: [v[1]])]
    return [(f"{model}.weight", "pair", lambda v: v)]


def _inputs(m: int) -> str:
    """The data name method m's model is applied to."""
    return "x" if m in WITH_BIAS else "X"


def _method(m: int) -> Question:
    qn, model = f"method{m}", MODEL[m]
    own = dict(method=qn, model=model, yhat=f"yhat{m}", loss=f"loss{m}")
    if m in HAND_WRITTEN:
        built, yhat_layout = (c.is_tensor(model), c.requires_grad(model)), "vector"
    else:
        built, yhat_layout = (c.linear(1 if m in WITH_BIAS else 2, bias=m in WITH_BIAS, path=model),), "column"
    # the model is judged through yhat: its weights are given constants, so only the
    # predictions it makes show that it was built and used (and they change with the data)
    structure = (*built, c.initial_weights(model), c.is_tensor())
    names = ("X", "y", "x", model, f"yhat{m}", f"loss{m}") + (("lossfn",) if m >= 4 else ())
    return Question(
        qn,
        names,
        (
            Quantity(qn, f"yhat{m}", yhat_layout, 2, lambda r: r.step(m).yhat, Kind.YHAT, structure,
                     inputs=("data:X",), data=(_inputs(m),), **own),
            Quantity(qn, f"loss{m}", "scalar", 2, lambda r: r.step(m).loss, Kind.LOSS, (c.is_tensor(),),
                     inputs=(f"{qn}:yhat{m}",), data=(_inputs(m), "y"), **own),
        ),
        title=f"방법{m} / Method {m}",
    )


def _grads() -> Question:
    qs = []
    for m, model in MODEL.items():
        own = dict(method=f"method{m}", model=model, yhat=f"yhat{m}", loss=f"loss{m}")
        for param, layout, part in _params(m):
            points = 2 if layout == "pair" else 1
            qs.append(Quantity("step3", f"{param}.grad", layout, points, lambda r, m=m, part=part: part(r.step(m).grad),
                               Kind.GRAD, inputs=(f"method{m}:yhat{m}", f"method{m}:loss{m}"), data=(_inputs(m), "y"), **own))
    return Question("step3", tuple(MODEL.values()), tuple(qs), title="step3: derivation")


def _updates() -> Question:
    qs = []
    for m, model in MODEL.items():
        structure = () if m in HAND_WRITTEN else (c.sgd(f"optmz{m}"),)
        for param, layout, part in _params(m):
            points = 2 if layout == "pair" else 1
            qs.append(Quantity("step4", param, layout, points, lambda r, m=m, part=part: part(r.step(m).updated),
                               Kind.UPDATE, structure, inputs=(f"step3:{param}.grad",), method=f"method{m}", model=model))
    optimizers = tuple(f"optmz{m}" for m in MODEL if m not in HAND_WRITTEN)
    return Question("step4", ("lr", *MODEL.values(), *optimizers), tuple(qs), title="step4: update",
                    roles=tuple((f"optmz{m}", MODEL[m]) for m in MODEL if m not in HAND_WRITTEN))


def _loop(name: str, zero_grad: bool, title: str) -> Question:
    return Question(
        name,
        ("X", "y", "net", "optmz", "mseloss"),
        (
            Quantity(name, "net", "pair", 6, lambda r: r.train(zero_grad), Kind(name),
                     (c.linear(2, bias=False), c.plain_sgd("optmz")), progress=(c.trained(accumulates=not zero_grad),),
                     inputs=("data:X", "data:y"), data=("X", "y"), rtol=LOOP_TOL, atol=LOOP_TOL),
        ),
        title=title,
        roles=(("net", "model"), ("optmz", "net")),
    )


QUESTIONS: dict[str, Question] = {
    q.name: q
    for q in [
        Question(
            "data",
            ("x", "X", "y"),
            (
                Quantity("data", "X", "matrix", 0, lambda r: r.data.X, Kind.DATA, (c.is_tensor(),), data=("X",)),
                Quantity("data", "y", "vector", 0, lambda r: r.data.y, Kind.DATA, (c.is_tensor(),), data=("y",)),
            ),
            title="Data",
        ),
        *(_method(m) for m in MODEL),
        _grads(),
        _updates(),
        _loop("loop", True, "step1~4 반복 / the training loop"),
        _loop("homework", False, "숙제: zero_grad 없이 / homework: without zero_grad"),
        Question(
            "sgd",
            ("X", "y", "What", "optmz_sgd", "grad_twice", "grad_after_zero"),
            (
                Quantity("sgd", "grad_twice", "pair", 0, lambda r: r.accumulated_grad(2), Kind.ACCUMULATED,
                         (c.is_tensor(),), inputs=("data:X",), data=("X", "y")),
                Quantity("sgd", "grad_after_zero", "pair", 0, lambda r: (0.0, 0.0), Kind.ZEROS, (c.is_tensor(),)),
            ),
            title="definition of SGD (연습, 점수 없음 / practice, not scored)",
        ),
    ]
}

QUANTITIES: dict[str, Quantity] = {q.key: q for question in QUESTIONS.values() for q in question.quantities}

# names a question finds by their role: another question's value of the same name is another object
# (the two loops' `net`), so a check never borrows one from a later snapshot (checks.Context.get)
ROLE_NAMES = frozenset(name for question in QUESTIONS.values() for name, role in question.roles if role == "model")
ROLE_NAMES |= {name for question in QUESTIONS.values() for name, role in question.roles if role in ROLE_NAMES}

# other models a loop question's part may have trained, captured as `net@1`.. and graded when the
# likeliest one fails (engine/roles.py, engine/grading.py)
ALTERNATES = 3

# graded by hand on Gradescope (exported to PDF); listed so totals and reports know it
MANUAL_QUESTIONS = {"homework_written": 4}


def total_points() -> float:
    return sum(q.points for q in QUESTIONS.values())

assert c.ROLE_NAMES == ROLE_NAMES, "engine/checks.ROLE_NAMES must list the names found by their role"
