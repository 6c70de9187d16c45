"""Grade one quantity from snapshots: the record a public or a hidden check produces.

    gate        the value exists and fits the layout          else `cell_raised` if a cell that
                                                                mentions it raised, else its refusal's code
    structure   nn.Linear with the right bias, SGD with lr=0.1  else that code
    reference   (hidden) equal to the reference                 → passed
    own values  equal to what the student's own values imply   → public: passed;
                hidden: credit carried forward (CARRY_FORWARD of the points)
    data        (hidden) the data in scope are not the grader's → `data_mismatch`, named once
    raised      a cell that mentions it raised before its check → `cell_raised` (a fact before inference)
    mistakes    the catalogue's recognisers for this kind       → that code
    otherwise   an earlier quantity it depends on failed        → failed, no code: named there (or, for
                a gradient of a loss whose form is unknown, "cannot be checked")
                public: `inconsistent`; hidden: `wrong_value`

Hidden checks never take data from the student's namespace: the reference and every implied
value are computed on the grader's own data for that run (`reference.data`), from the
student's model, and along the lecture's chain only (own.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.engine.checks import Context, refusal_finding
from autograder.engine.compare import Refusal, close, lookup, rounded, summary
from autograder.engine.facts import Facts, graded_code, region
from autograder.engine.own import IMPLIED
from autograder.engine.raised import Raised, makes
from autograder.engine.records import Record
from autograder.spec import questions
from autograder.spec.codes import Code, Kind
from autograder.spec.mistakes import CARRIED, CATALOGUE, FOLLOWS_FROM, PASSED, follows, message, recognizers, unchecked
from autograder.spec.questions import QUANTITIES, QUESTIONS, Quantity

LOOPS = (Kind.LOOP, Kind.HOMEWORK)


def optimizer_name(q: Quantity) -> str:
    """The template's name of the optimizer that makes this quantity ("" for none): its question's
    role for the quantity's model (spec/questions.Question.roles)."""
    model = q.model or q.path.split(".")[0]
    return next((name for name, role in QUESTIONS[q.question].roles if role == model), "")


class Grader:
    """Grades the quantities of one submission, remembering results so dependencies are graded once."""

    def __init__(self, snapshots: dict[str, dict[str, Any]], reference: Any | None = None,
                 raised: list[Raised] = (), check_cells: dict[str, int] | None = None, current: str | None = None,
                 cells: list[str] | None = None, alternates: bool = True):
        self.snapshots = snapshots
        self.alternates = alternates  # try the other candidates of a role when the likeliest fails
        self.cells = cells  # the notebook's code cells, when known: what messages are checked against
        self.reference = reference
        self.data = reference.data if reference is not None else None  # the grader's data for this run
        self.raised = list(raised)
        self.check_cells = check_cells or {}
        self.current = current  # grader.check's question: the only one an error of unknown place can be about
        self._done: dict[str, Record] = {}
        self._mismatch: str | None = None  # the first check named `data_mismatch`

    def implied(self, q: Quantity, ctx: Context) -> dict[str, Any] | None:
        return IMPLIED[q.kind](ctx, q, self.data) if q.kind in IMPLIED else None

    def grade(self, q: Quantity) -> Record:
        if q.key not in self._done:
            record = self._grade(q)
            for other in ([] if record.passed or not self.alternates else _alternates(self.snapshots, q.question)):
                # another model the question's part trained (engine/roles.py): the answer may be that one
                again = Grader(other, self.reference, self.raised, self.check_cells, self.current, self.cells,
                               alternates=False).grade(q)
                if again.passed:
                    record = again
                    break
            self._done[q.key] = record
        return self._done[q.key]

    def _failed_input(self, q: Quantity) -> str | None:
        for key in q.inputs:
            if not self.grade(QUANTITIES[key]).passed:
                return QUANTITIES[key].path
        return None

    def _chain_broken(self, q: Quantity) -> bool:
        """An update is credited from the student's own gradient only when that gradient is right
        or a recognised slip; anything else (typed in, unrecognised) breaks the chain there."""
        if self.data is None or q.kind != Kind.UPDATE:
            return False
        records = [self.grade(QUANTITIES[key]) for key in q.inputs]
        return any(not r.passed and not (r.mistake and CATALOGUE[r.mistake].slip) for r in records)

    def _input_mistake(self, q: Quantity) -> str | None:
        for key in q.inputs:
            record = self.grade(QUANTITIES[key])
            if not record.passed:
                return record.mistake
        return None

    def _raised(self, q: Quantity, value_is_none: bool = False) -> Raised | None:
        """The first cell before this question's check that raised and mentions what makes the value,
        unless a later cell that did not raise made that value again (then the error is not its cause)."""
        names = (q.path.split(".")[0], q.loss if q.kind == Kind.GRAD else "",
                 f"optmz{q.method[-1]}" if q.kind == Kind.UPDATE and q.method else "")
        before = self.check_cells.get(q.question)
        failed = {r.cell for r in self.raised}

        def placed(r: Raised) -> bool:
            return q.question == self.current if r.cell < 0 else before is None or r.cell < before

        def remade(r: Raised) -> bool:
            if self.cells is None or r.cell < 0:
                return False
            end = before if before is not None else len(self.cells)
            return any(i not in failed and makes(self.cells[i], names) for i in range(r.cell + 1, end))

        return next((r for r in self.raised if placed(r) and r.mentions(names)
                     and not r.follows_a_blank(names, value_is_none) and not remade(r)), None)

    def facts(self, q: Quantity, ctx: Context) -> tuple[Facts, dict[str, Any]]:
        """What the messages about this quantity may be checked against, and the names they use."""
        optimizer = optimizer_name(q)
        fields: dict[str, Any] = {"model": q.model or q.path.split(".")[0], "loss": q.loss}
        flags: set[str] = set()
        if optimizer:
            o = ctx.get(optimizer)
            where = o.get("found") or {}
            fields["optimizer"] = str(where.get("path", optimizer))
            model = ctx.get(q.model, q.method) if q.model else {}
            if model.get("kind") == "module":
                flags.add("by_optimizer")
                holds = where.get("holds")
                if o.get("kind") == "optimizer" and holds is not None and q.model not in holds:
                    flags.add("foreign_optimizer")
                    shown = ", ".join(f"`{h}`" for h in holds)
                    fields["holds"] = {"ko": f"{shown}의" if holds else "다른 텐서들의",
                                       "en": f"the parameters of {shown}" if holds else "other tensors"}
        if self.cells is None:
            return Facts(None, flags), fields
        head = ctx.get(q.path.split(".")[0])
        cell = (head.get("found") or {}).get("cell") if isinstance(head, dict) else None
        cells = self.cells
        indices = [cell] if isinstance(cell, int) and 0 <= cell < len(cells) else region(cells, self.check_cells, q.question)
        end = self.check_cells.get(q.question, len(cells) - 1)
        return Facts(lambda: graded_code(cells, indices), flags, lambda: graded_code(cells, list(range(end + 1)))), fields

    def _unknown_loss(self, q: Quantity) -> str | None:
        """For a gradient: its loss when that loss is wrong in a form the grader does not know."""
        if q.kind != Kind.GRAD:
            return None
        loss = self.grade(QUANTITIES[f"{q.method}:{q.loss}"])
        return q.loss if not loss.passed and loss.mistake in (Code.WRONG_VALUE, Code.INCONSISTENT) else None

    def _data_differs(self, q: Quantity, ctx: Context) -> list[str]:
        """The data names this quantity uses whose values in scope are not the grader's."""
        layouts = {"X": "matrix", "y": "vector", "x": "vector"}
        differ = []
        for name in q.data:
            value = ctx.array(name, layouts[name], q.at)
            if isinstance(value, Refusal) or not close(value, getattr(self.data, name), 1e-6, 1e-6):
                differ.append(name)
        return differ

    def _grade(self, q: Quantity) -> Record:
        ctx = Context(self.snapshots, q.question)
        hidden = self.reference is not None
        expected = q.expected(self.reference) if hidden else None
        record = Record(
            question=q.question, check=q.path, points=0.0, max_points=float(q.points if hidden else 0),
            passed=False, hidden=hidden, student=summary(ctx.get(q.path)),
            expected=rounded(expected) if hidden else None,
        )

        facts, fields = self.facts(q, ctx)

        def fail(code: Code | None, detail: str | dict = "", name: str | None = None, said: dict | None = None) -> Record:
            if code in (Code.MISSING, Code.NONE, Code.NO_BACKWARD) and raised and not (refused and value.reason == "blank"):
                code, detail, name = Code.CELL_RAISED, raised.detail(), None  # what is missing, a cell that raised lost
                said = None
            if code == Code.CELL_RAISED and raised and raised.skipped:
                code = Code.CELL_SKIPPED
            consequence = code in (None, Code.WRONG_VALUE, Code.INCONSISTENT) or (refused and value.reason != "blank") \
                or (code == Code.MISSING and name is not None)  # another object it needs: an earlier failure comes first
            earlier = self._failed_input(q) if consequence else None
            unknown = self._unknown_loss(q) if earlier else None
            if unknown:
                record.message = unchecked(unknown)
            elif earlier:
                record.message = follows(earlier)
            else:
                record.mistake = code
                record.message = said or message(code, name or q.path, detail, facts, **fields) or \
                    message(code, name or q.path, detail)
            return record

        def succeed(carried: bool = False) -> Record:
            record.passed, record.carried_forward = True, carried
            record.points = record.max_points * (questions.CARRY_FORWARD if carried else 1.0)
            record.message = dict(CARRIED if carried else PASSED)
            return record

        value = ctx.array(q.path, q.layout)
        refused = isinstance(value, Refusal)
        if not refused and value.size <= 4:  # in the quantity's layout: a loop's net as its (w0, w1)
            record.student = rounded(value.reshape(-1))
        raised = self._raised(q, refused and value.reason == "none") if self.raised else None
        if raised and self._failed_input(q) and self._input_mistake(q) != Code.CELL_RAISED:
            raised = None  # the cell raised because an earlier value was already wrong: named there
        if refused:
            return fail(*refusal_finding(value))
        for check in q.structure:
            finding = check(ctx, q)
            if finding:
                return fail(*finding)
        if hidden and _close(value, expected, q):
            return succeed()
        own = None if self._chain_broken(q) else self.implied(q, ctx)
        if own is None and not hidden:
            for check in q.progress:
                finding = check(ctx, q)
                if finding:
                    return fail(*finding)
        if own is not None and any(_close(value, v, q) for v in [own["implied"], *own.get("also", ())]):
            # consistency before blame
            return succeed(carried=hidden)
        if hidden:
            differ = self._data_differs(q, ctx)
            if differ and self._mismatch:
                record.message = follows(self._mismatch)
                return record
            if differ:
                self._mismatch = q.path
                return fail(Code.DATA_MISMATCH, ", ".join(differ))
        if raised and (hidden or own is not None):  # a value shown wrong, after a cell that raised
            return fail(Code.CELL_RAISED, raised.detail())
        for mistake in recognizers(q.kind, hidden):
            detail = mistake.recognize(value, own, expected)
            if detail is None:
                continue
            said = mistake.message(facts, name=q.path, detail=detail, **fields)
            if said is not None:  # else every way of telling it says something the notebook's code contradicts
                if isinstance(detail, dict) and "factor" in detail:
                    record.factor = float(detail["factor"])
                return fail(mistake.code, detail, said=said)
        if hidden:
            shown = rounded(value.reshape(-1)) if value.size <= 2 else None
            fields.update(value=f" ({', '.join(f'{v:g}' for v in shown)})" if shown else "",
                          what=FOLLOWS_FROM.get(q.kind, ""))
            return fail(Code.WRONG_VALUE)
        if own is None:
            return succeed() if not self._failed_input(q) else fail(None)
        return fail(Code.INCONSISTENT, FOLLOWS_FROM.get(q.kind, ""))


def _alternates(snapshots: dict[str, dict[str, Any]], question: str) -> list[dict[str, dict[str, Any]]]:
    """The snapshots again with each other candidate (`net@k`, `optmz@k`) in its role's place."""
    snap = snapshots.get(question, {})
    roles = QUESTIONS[question].roles if question in QUESTIONS else ()
    out: list = []
    if not roles:
        return out
    for k in range(1, 1 + questions.ALTERNATES):
        swapped = {name: snap.get(f"{name}@{k}") for name, _ in roles}
        if swapped.get(roles[0][0]) is None:
            break
        out.append({**snapshots, question: {**snap, **{n: v or {"kind": "missing"} for n, v in swapped.items()}}})
    return out


def _close(value: np.ndarray, want: Any, q: Quantity) -> bool:
    """The comparator's test, on flattened values (the layout was settled by the gate)."""
    return close(value.reshape(-1), np.asarray(want, dtype=np.float64).reshape(-1), q.rtol, q.atol)


def grade_quantity(q: Quantity, snapshots: dict[str, dict[str, Any]], reference: Any | None = None,
                   raised: list[Raised] = ()) -> Record:
    """The public record when `reference` is None, else the hidden one."""
    return Grader(snapshots, reference, raised, current=q.question).grade(q)


def grade_all(snapshots: dict[str, dict[str, Any]], reference: Any, public: bool = True,
              raised: list[Raised] = (), check_cells: dict[str, int] | None = None,
              cells: list[str] | None = None) -> list[Record]:
    """Every record of a submission: each quantity's public check (unless public=False), then its hidden one."""
    graders = ([Grader(snapshots, None, raised, check_cells, cells=cells)] if public else []) + [
        Grader(snapshots, reference, raised, check_cells, cells=cells)]
    return [g.grade(q) for q in QUANTITIES.values() for g in graders]


def _unverified(official: dict[str, dict[str, Any]], fresh: dict[str, dict[str, Any]] | None) -> dict | str:
    """Why the fresh run cannot vouch for the official one, or "" when it can."""
    if fresh is None:
        return {"ko": "채점기가 데이터 셀의 seed 를 찾지 못해 새 데이터로 다시 실행할 수 없었습니다. 주어진 데이터 셀을 되살리세요.",
                "en": "The grader could not find the data cell's seed to run it again on fresh data: restore the given data cell."}
    data = [(lookup(official.get("data", {}), n), lookup(fresh.get("data", {}), n)) for n in ("X", "y")]
    if all(a.get("values") is not None and a.get("values") == b.get("values") for a, b in data):
        return {"ko": "채점기가 seed 를 바꿨는데도 데이터가 그대로였습니다.",
                "en": "The data stayed the same when the grader changed the seed."}
    return ""


SECOND_RUN_DATA = {"ko": "두 번째 실행에서 데이터가 채점기가 만든 데이터와 달랐습니다.",
                   "en": "On the second run the data in scope were not the data the grader made."}


def grade_submission(
    official: dict[str, dict[str, Any]], fresh: dict[str, dict[str, Any]] | None, reference: Any, fresh_reference: Any,
    raised: list[Raised] = (), check_cells: dict[str, int] | None = None, cells: list[str] | None = None,
) -> list[Record]:
    """Records of both runs combined. A hidden check earns its points only if it is right on both
    runs, each judged on the grader's own data for that run (equal to the reference, or carried
    forward from the student's own model along the chain); otherwise it is `hard_coded`. So is
    every check when there was no fresh run (the seed could not be found) or when the notebook
    kept its data when the seed changed.
    """
    records = grade_all(official, reference, raised=raised, check_cells=check_cells, cells=cells)
    why = _unverified(official, fresh)
    again = {} if why else {(r.question, r.check): r for r in grade_all(fresh, fresh_reference, public=False)}
    _same_factor_on_both_runs(records, again)
    for r in records:
        if not (r.hidden and r.passed):
            continue
        f = again.get((r.question, r.check))
        if why or not f.passed:
            detail = why or (SECOND_RUN_DATA if f.mistake == Code.DATA_MISMATCH else "")
            r.passed, r.points, r.carried_forward = False, 0.0, False
            r.mistake, r.message = Code.HARD_CODED, message(Code.HARD_CODED, r.check, detail)
    return records


def _same_factor_on_both_runs(records: list[Record], again: dict) -> None:
    """A scaled MSE is one constant c times the MSE: c must be the same on the fresh run's data.
    Where it is not, the loss is of no form the grader knows (`wrong_value`), and the credit carried
    forward from it, in the steps computed from it, is taken back."""
    hidden = {f"{x.question}:{x.check}": x for x in records if x.hidden}
    for r in records:
        if not (r.hidden and r.mistake == Code.SCALED_MSE and r.factor):
            continue
        f = again.get((r.question, r.check))
        if f is not None and f.mistake == Code.SCALED_MSE and f.factor and np.isclose(f.factor, r.factor, rtol=1e-3):
            continue
        q = QUANTITIES[f"{r.question}:{r.check}"]
        earlier = next((QUANTITIES[k].path for k in q.inputs if k in hidden and not hidden[k].passed), None)
        r.mistake, r.factor = (None if earlier else Code.WRONG_VALUE), None  # as if no variant had been seen
        r.message = follows(earlier) if earlier else message(Code.WRONG_VALUE, r.check, what=FOLLOWS_FROM.get(q.kind, ""),
                                                             value="")
        for later in records:
            if later.hidden and later.carried_forward and _depends_on(QUANTITIES[f"{later.question}:{later.check}"], q.key):
                later.passed, later.points, later.carried_forward = False, 0.0, False
                later.message = unchecked(r.check) if QUANTITIES[f"{later.question}:{later.check}"].kind == Kind.GRAD \
                    else follows(r.check)


def _depends_on(q: Quantity, key: str) -> bool:
    return key in q.inputs or any(_depends_on(QUANTITIES[k], key) for k in q.inputs if k in QUANTITIES)


def question_scores(records: list[Record]) -> dict[str, float]:
    scores = {name: 0.0 for name in QUESTIONS}
    for r in records:
        scores[r.question] += r.points
    return scores
