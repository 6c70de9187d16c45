"""The homework as data: its questions, the quantities each one grades, and their points.

This is the one place points are defined. Each quantity becomes two otter test cases: a
public one (worth 0: structure and self-consistency, shipped with the notebook) and a
hidden one (worth `points`: the value against the reference). `names` are the globals
captured at the question's check cell, so a later cell that reuses a name (the homework
reuses `net` and `optmz`) cannot change an earlier question's grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import checks as c


@dataclass(frozen=True)
class Quantity:
    question: str
    path: str  # what the student holds: "loss1", "net3.bias.grad", "net2" (its weights as (w0, w1))
    layout: str  # see compare.LAYOUTS
    points: float
    expected: Callable[[Any], Any]  # reference (autograder.expected.Reference) -> value in layout
    public: tuple[c.Check, ...] = ()
    judge: Callable = c.matches_reference  # the hidden comparison
    wrong: str = "wrong_value"  # mistake code when the value differs from the reference
    rtol: float = 1e-4
    atol: float = 1e-4

    @property
    def name(self) -> str:
        return self.path


@dataclass(frozen=True)
class Question:
    name: str
    names: tuple[str, ...]
    quantities: tuple[Quantity, ...] = field(default=())
    title: str = ""

    @property
    def points(self) -> float:
        return sum(q.points for q in self.quantities)

    def quantity(self, path: str) -> Quantity:
        return next(q for q in self.quantities if q.path == path)


MODEL = {1: "What1", 2: "net2", 3: "net3", 4: "What4", 5: "net5", 6: "net6"}
HAND_WRITTEN = (1, 4)


def _method(m: int) -> Question:
    qn, model = f"method{m}", MODEL[m]
    earlier = tuple((f"method{k}", f"loss{k}") for k in range(1, m))
    if m in HAND_WRITTEN:
        model_checks = (c.is_tensor(), c.requires_grad(), c.initial_weights())
        yhat_layout = "vector"
    else:
        model_checks = (c.linear(1 if m in (3, 6) else 2, bias=m in (3, 6)), c.initial_weights())
        yhat_layout = "column"
    names = ("X", "y", "x", model, f"yhat{m}", f"loss{m}") + (("lossfn",) if m >= 4 else ())
    return Question(
        qn,
        names,
        (
            Quantity(qn, model, "pair", 1, lambda r: r.w_init, model_checks),
            Quantity(qn, f"yhat{m}", yhat_layout, 1, lambda r: r.step(m).yhat, (c.is_tensor(),)),
            Quantity(
                qn, f"loss{m}", "scalar", 2, lambda r: r.step(m).loss,
                (c.is_tensor(), c.own_mse("y", f"yhat{m}"), c.agrees_with(*earlier)),
            ),
        ),
        title=f"방법{m} / Method {m}",
    )


def _grads() -> Question:
    qs = []
    for m, model in MODEL.items():
        at = f"method{m}"
        if m in (3, 6):
            qs.append(Quantity("step3", f"{model}.bias.grad", "one", 1, lambda r, m=m: [r.step(m).grad[0]],
                               (c.own_grad(model, at, 0),)))
            qs.append(Quantity("step3", f"{model}.weight.grad", "one", 1, lambda r, m=m: [r.step(m).grad[1]],
                               (c.own_grad(model, at, 1),)))
        else:
            path = f"{model}.grad" if m in HAND_WRITTEN else f"{model}.weight.grad"
            qs.append(Quantity("step3", path, "pair", 2, lambda r, m=m: r.step(m).grad, (c.own_grad(model, at),)))
    return Question("step3", ("X", "y", *MODEL.values()), tuple(qs), title="step3: derivation")


def _updates() -> Question:
    qs = []
    for m, model in MODEL.items():
        public = (c.own_update(model, f"method{m}", "step3"),)
        if m not in HAND_WRITTEN:
            public = (c.sgd(f"optmz{m}"),) + public
        qs.append(Quantity("step4", model, "pair", 2, lambda r, m=m: r.step(m).updated, public))
    optimizers = tuple(f"optmz{m}" for m in MODEL if m not in HAND_WRITTEN)
    return Question("step4", ("X", "y", "lr", *MODEL.values(), *optimizers), tuple(qs), title="step4: update")


def _loop(name: str, zero_grad: bool, title: str) -> Question:
    return Question(
        name,
        ("X", "y", "net", "optmz", "mseloss"),
        (
            Quantity(
                name, "net", "pair", 6, lambda r: r.train(zero_grad),
                (c.linear(2, bias=False), c.sgd("optmz"), c.own_loop(zero_grad, name)),
                rtol=1e-3, atol=1e-3,
            ),
        ),
        title=title,
    )


QUESTIONS: dict[str, Question] = {
    q.name: q
    for q in [
        Question(
            "data",
            ("x", "X", "y"),
            (
                Quantity("data", "X", "matrix", 0, lambda r: r.data.X, (c.is_tensor(),), wrong="data_mismatch"),
                Quantity("data", "y", "vector", 0, lambda r: r.data.y, (c.is_tensor(),), wrong="data_mismatch"),
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
            ("What", "optmz_sgd", "grad_twice", "grad_after_zero"),
            (
                Quantity("sgd", "grad_twice", "pair", 0, lambda r: r.accumulated_grad(2), (c.is_tensor(),)),
                Quantity("sgd", "grad_after_zero", "pair", 0, lambda r: (0.0, 0.0), (c.is_tensor(),)),
            ),
            title="definition of SGD (연습, 점수 없음 / practice, not scored)",
        ),
    ]
}

# graded by hand on Gradescope (exported to PDF); listed so totals and reports know it
MANUAL_QUESTIONS = {"homework_written": 4}


def total_points() -> float:
    return sum(q.points for q in QUESTIONS.values())
