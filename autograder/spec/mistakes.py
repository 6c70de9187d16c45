"""The catalogue of mistakes, kept as data.

Each entry has a stable code, the kinds of quantity where it can show, a way to recognise
it from the student's values (and, for hidden checks only, the reference), and a message in
Korean and English. Messages explain the slip without handing over the answer: `{name}` is
the student's variable, `{detail}` is made from the student's own values only.

Entries without a recogniser are named by the gate (a value that cannot be compared) or by
a structure check (checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Optional

import numpy as np

from autograder.engine import algebra
from autograder.engine.compare import close
from autograder.spec.codes import Code, Kind
from autograder.spec.constants import EPOCHS, LOOP_TOL, LR, W_INIT, N, pair
from autograder.spec.korean import particles

# value (in the quantity's layout), own (own.py's dict or None), expected (reference or None)
# -> detail if this is the mistake, else None
Recognizer = Callable[[np.ndarray, Optional[dict], Any], Optional[str]]


@dataclass(frozen=True)
class Says:
    """One way to tell a mistake, with what it claims about the student's code. `calls` must be in the
    graded code, `lacks` must not be ("{loss}.backward": that call on that receiver); `when` names
    facts about the captured objects that must hold (engine/facts.Facts.flags). A message whose
    claims the facts contradict, or cannot confirm, is not said (engine/facts.py)."""

    ko: str
    en: str
    calls: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    when: tuple[str, ...] = ()

    @property
    def claims(self) -> bool:
        return bool(self.calls or self.lacks or self.when)


class _Fields(dict):
    def __missing__(self, key):
        return "…"


@dataclass(frozen=True)
class Mistake:
    code: Code
    ko: str = ""
    en: str = ""
    kinds: tuple[Kind, ...] = ()
    recognize: Optional[Recognizer] = None
    needs_reference: bool = False
    # a slip the student's own model makes on the grader's data: later steps computed
    # correctly from such a value are credited (carried forward); any other failure breaks the chain
    slip: bool = False
    # ways to tell it, most specific first; the first whose claims hold is said. Without it: (ko, en), no claims
    says: tuple[Says, ...] = ()

    @property
    def ways(self) -> tuple[Says, ...]:
        return self.says or (Says(self.ko, self.en),)

    def text(self, way: Says, **fields) -> dict[str, str]:
        """Korean and English text of one way. A field may be one string for both, or {"ko": ..., "en": ...}."""
        fields.setdefault("detail", "")

        def fill(template: str, lang: str) -> str:
            values = _Fields({k: v[lang] if isinstance(v, dict) else v for k, v in fields.items()})
            return " ".join(template.format_map(values).split())

        return {"ko": particles(fill(way.ko, "ko")), "en": fill(way.en, "en")}

    def message(self, facts=None, **fields) -> dict[str, str] | None:
        """The text of the first way whose claims the facts confirm; None when none is left (then the
        mistake is not named). Without facts only ways that claim nothing about the code are said."""
        for way in self.ways:
            if not way.claims or (facts is not None and facts.confirm(way, fields)):
                return self.text(way, **fields)
        return None


def _close(a, b, tol=1e-4) -> bool:
    return close(np.asarray(a, dtype=float), b, rtol=tol, atol=tol)


def _loss_variant(code: str) -> Recognizer:
    """The loss is this variant of the student's own y and yhat (algebra.identify_loss); or, for a
    training loop, its end point is what this loss gives in the same loop."""

    def recognize(value, own, expected):
        if not own:
            return None
        if "loop_with" in own:
            return _loop_with(code, value, own)
        found = algebra.identify_loss(float(value.reshape(-1)[0]), own["y"], own["yhat"], _close)
        if found is None or found[0] != code:
            return None
        return _shapes(own) if code == Code.BROADCAST else ""

    return recognize


def _shapes(own) -> dict[str, str]:
    """Which operand had which shape. The namespace shows the prediction's shape; the other operand
    of the subtraction had the other layout ((n,) against (n, 1)), whatever variable it came from."""
    shapes = own.get("shapes") or {}
    name, shape = next(((k, v) for k, v in shapes.items() if k != "y"), ("yhat", ()))
    n = own["y"].size
    other = (n,) if len(shape) == 2 else (n, 1)
    return {"ko": f"{name} 의 shape 은 {tuple(shape)}, 함께 뺀 y 의 shape 은 {other}",
            "en": f"{name} has shape {tuple(shape)}, the y it meets in the subtraction {other}"}


def _loop_with(code: str, value, own):
    if code == Code.SCALED_MSE:  # the loop with c × the MSE is the loop with c × lr: all factors at once
        factors = list(algebra.scale_factors(N))
        ends = own["loop_lr"](LR * np.asarray(factors, dtype=float)) if factors else []
    else:
        factors, ends = [None], [own["loop_with"](algebra.LOSSES[code][1])]
    for c, end in zip(factors, ends):
        if np.all(np.isfinite(end)) and _close(value, end, LOOP_TOL):
            if code == Code.BROADCAST:
                return {"ko": "반복문 안의 y 와 yhat", "en": "y and yhat inside the loop"}
            return "" if c is None else str(Fraction(c).limit_denominator(1000))
    return None


def _factor(c: float) -> dict[str, Any]:
    """A factor as a detail: a plain fraction where it is one (1/2, 1/100, 100/99), and the number
    itself, kept for the second run's comparison (grading.grade_submission)."""
    f = Fraction(c).limit_denominator(1000)
    shown = str(f) if abs(float(f) - c) <= 1e-6 * abs(c) else f"{c:.4g}"
    return {"ko": shown, "en": shown, "factor": float(c)}


def _scaled(value, own, expected):
    """The loss is c × the MSE of the student's own y and yhat (a loop: trained with that loss), for
    one c > 0. Any wrong loss is *some* multiple of the MSE on one data set, so a hidden check names
    it only where c is the same on the second run's data (grading.grade_submission); a public one
    (one run) only for the factors students write on purpose (algebra.scale_factors)."""
    if not own:
        return None
    if "loop_lr" in own:
        c = _loop_factor(value, own) if expected is not None else None
        if c is None:
            return _loop_with(Code.SCALED_MSE, value, own)
        return {**_factor(c), "ko": f"{_factor(c)['ko']}", "en": _factor(c)["en"]}
    if "loop_with" in own:
        return _loop_with(Code.SCALED_MSE, value, own)
    mse = algebra.loss("mse", own["y"], own["yhat"])
    if not mse:
        return None
    if expected is None:
        return next((_factor(c) for c in algebra.scale_factors(own["y"].size) if _close(value, c * mse)), None)
    c = float(value.reshape(-1)[0]) / mse
    return _factor(c) if algebra.is_factor(c) else None


def _loop_factor(value, own) -> float | None:
    """The c for which the loop trained with c × the MSE ends at `value` (the same loop as lr × c):
    a scan of c from 1/1000 to 100, then a finer look around the best; None when no c ends there."""
    run = own["loop_lr"]
    target = value.reshape(-1)
    if _close(target, np.asarray(W_INIT), 10 * LOOP_TOL):  # a loop that barely moved: any tiny c "fits"
        return None

    def misses(cs) -> np.ndarray:
        ends = run(LR * np.asarray(cs, dtype=float))
        return np.where(np.all(np.isfinite(ends), axis=1), np.max(np.abs(ends - target), axis=1), np.inf)

    grid = np.geomspace(1e-3, 1e2, 400)
    miss = misses(grid)
    n = len(grid)
    dips = [i for i in range(n) if miss[i] < np.inf and miss[i] <= miss[max(i - 1, 0)] and miss[i] <= miss[min(i + 1, n - 1)]]
    best = sorted(dips, key=lambda i: miss[i])[:6]  # a loop that oscillates has several dips
    if not best:
        return None
    lo = np.array([grid[max(i - 1, 0)] for i in best])
    hi = np.array([grid[min(i + 1, n - 1)] for i in best])
    rows = np.arange(len(best))
    for _ in range(8):  # each bracket at once: 33 points across it, then ±1 step around the best of them
        points = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, 33)[None, :]
        centre = points[rows, misses(points.ravel()).reshape(points.shape).argmin(axis=1)]
        step = (hi - lo) / 32
        lo, hi = np.maximum(centre - step, lo), np.minimum(centre + step, hi)
    for c, end in zip((lo + hi) / 2, run(LR * (lo + hi) / 2)):
        if algebra.is_factor(float(c)) and _close(value, end, LOOP_TOL):
            return float(c)
    return None


def _accumulated(value, own, expected):
    if not own:
        return None
    g = np.asarray(own["implied"], dtype=float).reshape(-1)
    if not np.any(g):
        return None
    k = float(np.dot(value.reshape(-1), g) / np.dot(g, g))
    if round(k) >= 2 and _close(value.reshape(-1), round(k) * g):
        return f"{round(k)}"
    return None


def _update_sign(value, own, expected):
    return "" if own and _close(value, own["before"] + (own.get("lr") or LR) * own["grad"]) else None


def _no_update(value, own, expected):
    return "" if own and np.any(own["grad"]) and _close(value, own["before"]) else None


def _step_twice(value, own, expected):
    """The step is k × (the student's own lr) × gradient, k = 2..5: the update ran k times."""
    if not own or not np.any(own["grad"]):
        return None
    lr = own.get("lr") or LR
    for k in range(2, 6):
        if _close(value, own["before"] - k * lr * own["grad"]):
            return str(k)
    return None


def _wrong_lr(value, own, expected):
    """The learning rate the student set (the optimizer's lr, or `lr` of the by-hand update) is not
    0.1, and the step is that lr × gradient. An optimizer's lr is what its step used, so nothing
    else is inferred there; a by-hand step may use a number written in place of `lr`: then the lr
    the step implies."""
    if not own:
        return None
    lr = own.get("lr")
    if lr is not None and not np.isclose(lr, LR, rtol=1e-3) and _close(value, own["before"] - lr * own["grad"]):
        return f"lr={lr:g}"
    if own.get("lr_is_optimizers"):
        return None
    g = own["grad"].reshape(-1)
    step = (own["before"] - value).reshape(-1)
    usable = np.abs(g) > 1e-8
    if not usable.any():
        return None
    lrs = step[usable] / g[usable]
    inferred = float(np.median(lrs))
    if inferred <= 0 or np.isclose(inferred, LR, rtol=1e-3) or not np.allclose(lrs, inferred, rtol=1e-3, atol=1e-6):
        return None
    # what the values show, not a setting: the code may hold no `lr` of that value
    return {"ko": f"한 번에 기울기의 {inferred:.4g}배만큼 움직였습니다", "en": f"the step is {inferred:.4g} × the gradient"}


def _other_loop(value, own, expected):
    return "" if own and _close(value, own["other_loop"], LOOP_TOL) else None


def _step_first(value, own, expected):
    if not own:
        return None
    end = own["step_first"]()
    return "" if np.all(np.isfinite(end)) and _close(value, end, LOOP_TOL) else None


def _not_moved(value, own, expected):
    return "" if own and _close(value, np.asarray(W_INIT), LOOP_TOL) else None


def _still_initial(value, own, expected):
    if _not_moved(value, own, expected) is None:
        return None
    return {"ko": f"초기값 {pair(W_INIT)} 그대로입니다", "en": f"are still the initial {pair(W_INIT)}"}


def _epochs(value, own, expected):
    """The loop's end point after k epochs, k = 1..1000, k ≠ the lecture's (same data, start and lr)."""
    if not own:
        return None
    for k, w in enumerate(own["path"](1000), start=1):
        if k != EPOCHS and _close(value, w, LOOP_TOL):
            return str(k)
    return None


# nn.Linear(2, 1) draws its weights from U(-1/√2, 1/√2): a loop that never set (-5, 10) starts there
_DEFAULT_INIT = 1 / np.sqrt(2) + 1e-6


def _start(value, own, expected):
    """The start the end point implies (the loop is affine in its start), when it is in PyTorch's
    default initialisation range, or numbers a student types (multiples of 0.5); a loop that forgets its start entirely (with zero_grad)
    converges, and then the start cannot be seen (nor does it cost anything)."""
    if not own:
        return None
    start = own["start"](value)
    if start is None or not np.all(np.isfinite(start)):
        return None
    halves = np.round(start * 2) / 2 + 0.0  # (+ 0.0: no -0) a start a student types: (10, -5) swapped, (0, 0), (1, 1) ...
    typed = bool(np.all(np.abs(start - halves) < 2e-3)) and not np.allclose(halves, W_INIT)
    if not (typed or np.all(np.abs(start) <= _DEFAULT_INIT)):
        return None
    return pair(tuple(float(v) for v in (halves if typed else start)))


S = Says  # the catalogue below reads as a table

CATALOGUE: dict[Code, Mistake] = {
    m.code: m
    for m in [
        # --- named by the gate: the value cannot be compared
        Mistake(Code.MISSING,
                "`{name}`이(가) 정의되지 않았거나 아직 `...`입니다. 빈칸을 채우고 셀을 위에서부터 차례로 실행하세요.",
                "`{name}` is not defined, or is still `...`. Fill in the blank and run the cells from the top."),
        Mistake(Code.NONE, says=(
            S("`{name}`이(가) None입니다. 코드의 zero_grad()는 기본값 set_to_none=True로 기울기를 None으로 만듭니다. "
              "zero_grad(set_to_none=False)를 쓰세요.",
              "`{name}` is None. Your code's zero_grad() leaves None with PyTorch's default set_to_none=True: "
              "use zero_grad(set_to_none=False).", calls=("zero_grad",)),
            S("`{name}`이(가) None입니다. 0으로 채운 텐서여야 합니다.", "`{name}` is None; it must be a tensor of zeros."))),
        Mistake(Code.NO_BACKWARD, says=(
            S("`{name}`이(가) None입니다. 코드에 `{loss}.backward()`가 없습니다.",
              "`{name}` is None: your code has no `{loss}.backward()`.", lacks=("{loss}.backward",)),
            S("`{name}`이(가) None입니다. 코드의 `{loss}.backward()`가 이 파라미터까지 기울기를 전하지 못했습니다. "
              "`{loss}`이(가) 이 파라미터로 계산되었는지, 그 뒤에 파라미터를 다시 만들지 않았는지 확인하세요.",
              "`{name}` is None although your code calls `{loss}.backward()`: no gradient reached this parameter. "
              "Check that `{loss}` is computed from it, and that it was not made again afterwards.",
              calls=("{loss}.backward",)),
            S("`{name}`이(가) None입니다. 이 파라미터에 기울기가 계산되지 않았습니다.",
              "`{name}` is None: no gradient was computed for this parameter."))),
        Mistake(Code.NOT_A_TENSOR,
                "`{name}`은(는) torch.Tensor여야 하는데 {detail}입니다.",
                "`{name}` must be a torch.Tensor, but it is {detail}."),
        Mistake(Code.DTYPE,
                "`{name}`의 dtype이 {detail}입니다. 실수(float) 텐서여야 합니다: 예를 들어 -5가 아니라 -5.0으로 쓰세요.",
                "`{name}` has dtype {detail}; it must be a float tensor: write -5.0, not -5."),
        Mistake(Code.SHAPE, "`{name}`의 shape이(가) 맞지 않습니다: {detail}.", "`{name}` has the wrong shape: {detail}."),
        Mistake(Code.NAN,
                "`{name}`에 NaN 또는 inf가 있습니다. 학습률이나 계산 순서를 확인하세요.",
                "`{name}` contains NaN or inf. Check the learning rate and the order of the steps."),
        # --- named by structure checks (checks.py)
        Mistake(Code.NO_REQUIRES_GRAD,
                "`{name}`은(는) requires_grad=True로 만들어야 기울기를 구할 수 있습니다.",
                "`{name}` must be created with requires_grad=True so that its gradient can be computed."),
        Mistake(Code.NOT_LINEAR, "`{name}`은(는) torch.nn.Linear(으)로 만들어야 합니다 (지금은 {detail}).",
                "`{name}` must be made with torch.nn.Linear (it is {detail})."),
        Mistake(Code.WRONG_BIAS, "`{name}`의 구조가 이 방법과 다릅니다: {detail}.",
                "`{name}` is not built as this method asks: {detail}."),
        Mistake(Code.WRONG_OPTIMIZER, "`{name}`: {detail}", "`{name}`: {detail}"),
        # --- recognised from the values
        Mistake(Code.WEIGHTS_NOT_SET,
                f"`{{name}}`을(를) 만든 모형의 가중치가 문제에서 정한 초기값 (w0, w1) = {pair(W_INIT)}이(가) 아닙니다. 초기값을 넣었나요?",
                f"The weights of the model behind `{{name}}` are not the initial values the problem sets, (w0, w1) = {pair(W_INIT)}. Did you set them?"),
        Mistake(Code.BROADCAST,
                f"`{{name}}`: shape이(가) 다른 두 텐서를 뺐습니다 ({{detail}}). ({N},)과 ({N},1)을 빼면 브로드캐스팅으로 {N}×{N} 행렬이 됩니다. 둘 중 하나를 reshape해서 shape을(를) 맞추세요.",
                f"`{{name}}`: you subtracted two tensors of different shapes ({{detail}}). ({N},) minus ({N},1) broadcasts to a {N}×{N} matrix. Reshape one of them so that the shapes match.",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_loss_variant("broadcast"), slip=True),
        Mistake(Code.SUM_NOT_MEAN,
                "`{name}`: 제곱오차를 더하기만 했습니다. MSE는 평균(torch.mean)입니다.",
                "`{name}`: you summed the squared errors; the MSE is their mean (torch.mean).",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_loss_variant("sum_not_mean"), slip=True),
        Mistake(Code.RMSE_NOT_MSE,
                "`{name}`: 제곱근을 씌웠습니다 (RMSE). 이 문제의 loss는 제곱근 없는 MSE입니다.",
                "`{name}`: you took the square root (RMSE). The loss here is the MSE, without the root.",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_loss_variant("rmse_not_mse"), slip=True),
        Mistake(Code.MAE_NOT_MSE,
                "`{name}`: 오차의 절댓값을 평균했습니다 (평균절대오차, nn.L1Loss). 이 문제의 loss는 오차를 제곱해서 평균한 MSE입니다.",
                "`{name}`: you averaged the absolute errors (the mean absolute error, nn.L1Loss). The loss here is the MSE, the mean of the squared errors.",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_loss_variant("mae_not_mse"), slip=True),
        Mistake(Code.HUBER_NOT_MSE,
                "`{name}`: Huber loss (nn.SmoothL1Loss, nn.HuberLoss)를 썼습니다. 이 문제의 loss는 MSE (nn.MSELoss)입니다.",
                "`{name}`: this is the Huber loss (nn.SmoothL1Loss, nn.HuberLoss). The loss here is the MSE (nn.MSELoss).",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_loss_variant("huber_not_mse"), slip=True),
        Mistake(Code.SCALED_MSE,
                "`{name}`: MSE에 {detail}을(를) 곱한 값입니다 (반복문이라면 그 loss로 학습한 결과이고, 학습률을 {detail}배 한 것과 같습니다). "
                "이 문제의 loss는 상수를 곱하지 않은 평균제곱오차, torch.mean((y-yhat)**2)입니다.",
                "`{name}` is the MSE times {detail} (for a loop: what training with that loss gives, the same as a "
                "learning rate {detail} times as large). The loss here is the mean squared error itself, "
                "torch.mean((y-yhat)**2), with no factor.",
                kinds=(Kind.LOSS, Kind.LOOP, Kind.HOMEWORK), recognize=_scaled, slip=True),
        Mistake(Code.GRAD_ACCUMULATED,
                "`{name}`: 기울기가 한 번 미분한 값의 {detail}배입니다. 기울기를 지우지 않고 역전파를 여러 번 해서 기울기가 누적되었습니다.",
                "`{name}`: the gradient is {detail} times the gradient of one backward pass: the backward pass ran several "
                "times without the gradient being cleared, so gradients accumulated.",
                kinds=(Kind.GRAD,), recognize=_accumulated, slip=True),
        Mistake(Code.UPDATE_SIGN,
                "`{name}`: 기울기 방향으로 움직였습니다. 업데이트는 '값 - lr × 기울기'입니다.",
                "`{name}`: the step went along the gradient. The update is 'value - lr × gradient'.",
                kinds=(Kind.UPDATE,), recognize=_update_sign, slip=True),
        Mistake(Code.NO_UPDATE, says=(
            S("`{name}`: 값이 바뀌지 않았습니다. `{optimizer}.step()`은(는) 실행되었지만 `{optimizer}`은(는) {holds} "
              "파라미터를 가지고 있어 `{model}`을(를) 움직이지 않습니다. torch.optim.SGD({model}.parameters(), lr=0.1)로 만드세요.",
              "`{name}`: the value did not change. `{optimizer}.step()` ran, but `{optimizer}` holds {holds}, not "
              "`{model}`'s parameters, so it does not move `{model}`. Make it with torch.optim.SGD({model}.parameters(), lr=0.1).",
              calls=("{optimizer}.step",), when=("foreign_optimizer",)),
            S("`{name}`: 값이 바뀌지 않았습니다. 코드에 `{optimizer}.step()`이(가) 없습니다.",
              "`{name}`: the value did not change: your code has no `{optimizer}.step()`.",
              lacks=("{optimizer}.step",), when=("by_optimizer",)),
            S("`{name}`: 업데이트 전과 값이 같습니다. 업데이트한 값이 이 파라미터에 들어갔는지 확인하세요.",
              "`{name}`: the value is the same as before the update. Check that the updated value is stored in this "
              "parameter."),),
                kinds=(Kind.UPDATE,), recognize=_no_update, slip=True),
        Mistake(Code.STEP_TWICE,
                "`{name}`: 한 번에 '학습률 × 기울기'의 {detail}배만큼 움직였습니다. 업데이트가 {detail}번 실행된 것 같습니다. 코드에 두 번 쓰지 않았는지, 셀을 두 번 실행하지 않았는지 확인하세요.",
                "`{name}` moved {detail} times 'learning rate × gradient': the update seems to have run {detail} times. Check that it is not written twice, and that the cell did not run twice.",
                kinds=(Kind.UPDATE,), recognize=_step_twice, slip=True),
        Mistake(Code.WRONG_LR,
                f"`{{name}}`: 학습률이 {LR:g}이(가) 아닙니다 ({{detail}}).",
                f"`{{name}}`: the learning rate is not {LR:g} ({{detail}}).",
                kinds=(Kind.UPDATE,), recognize=_wrong_lr, slip=True),
        Mistake(Code.NO_ZERO_GRAD, says=(
            S("`{name}`: 기울기를 epoch마다 지우지 않고 학습한 결과입니다. 코드에 zero_grad()가 있지만 epoch마다 "
              "backward() 전에 실행되지 않습니다: 들여쓰기와 위치를 확인하세요.",
              "`{name}` is what training without clearing the gradient every epoch gives. Your code has zero_grad(), "
              "but it does not run before each epoch's backward(): check its indentation and place.",
              calls=("zero_grad", "backward")),
            S("`{name}`: 기울기를 epoch마다 지우지 않고 학습한 결과입니다. 매 epoch마다 기울기를 0으로 지워야 합니다.",
              "`{name}` is what training without clearing the gradient every epoch gives. Clear it every epoch."),),
                kinds=(Kind.LOOP,), recognize=_other_loop),
        Mistake(Code.ZERO_GRAD_IN_HOMEWORK, says=(
            S("`{name}`: zero_grad()로 기울기를 epoch마다 지우며 학습한 결과입니다. 이 숙제는 기울기를 지우지 않고 학습해서 "
              "무엇이 달라지는지 관찰하는 것입니다.",
              "`{name}` is what training with zero_grad() clearing the gradient every epoch gives. This homework "
              "leaves the gradient uncleared, to observe what changes.", calls=("zero_grad",)),
            S("`{name}`: 기울기를 epoch마다 지우며 학습한 결과입니다 (zero_grad()와 같은 효과). 이 숙제는 기울기를 지우지 "
              "않고 학습해서 무엇이 달라지는지 관찰하는 것입니다.",
              "`{name}` is what training with the gradient cleared every epoch gives, as zero_grad would. This "
              "homework leaves the gradient uncleared, to observe what changes."),),
                kinds=(Kind.HOMEWORK,), recognize=_other_loop),
        Mistake(Code.ZERO_GRAD_CANCELS_STEP, says=(
            S("`{name}`: 가중치가 초기값에서 전혀 움직이지 않았습니다. zero_grad()가 backward()와 step() 사이에 있으면 "
              "step()이(가) 0인 기울기로 움직입니다. zero_grad()는 step() 다음(또는 backward() 전)에 두세요.",
              "`{name}` never moved from its initial weights: with zero_grad() between backward() and step(), step() "
              "sees a zero gradient. Put zero_grad() after step() (or before backward()).",
              calls=("zero_grad", "backward", "step")),),
                kinds=(Kind.LOOP, Kind.HOMEWORK), recognize=_not_moved),
        Mistake(Code.NOT_TRAINED, says=(
            S("`{name}`: 반복문이 끝난 뒤의 가중치가 {detail}. 학습 코드에 step()이(가) 없어서 가중치를 움직이는 것이 없습니다.",
              "`{name}`: the weights after the loop {detail}. The training code has no step(), so nothing moves the weights.",
              lacks=("step",)),
            S("`{name}`: 반복문이 끝난 뒤의 가중치가 {detail}. 매 epoch마다 기울기를 구하고 가중치를 업데이트하는지 확인하세요.",
              "`{name}`: the weights after the loop {detail}. Check that every epoch computes the gradient and updates "
              "the weights."),),
                kinds=(Kind.LOOP, Kind.HOMEWORK), recognize=_still_initial),
        Mistake(Code.STEP_BEFORE_BACKWARD, says=(
            S("`{name}`: step()을(를) backward()보다 먼저 실행한 결과입니다. 그러면 매번 앞 epoch의 기울기로 움직입니다. "
              "순서는 yhat → loss → backward() → step()입니다.",
              "`{name}` is what running step() before backward() gives: each step then uses the gradient of an earlier "
              "epoch. The order is yhat → loss → backward() → step().", calls=("backward", "step")),),
                kinds=(Kind.LOOP, Kind.HOMEWORK), recognize=_step_first),
        Mistake(Code.WRONG_EPOCHS,
                f"`{{name}}`: {{detail}} epoch 동안 학습한 결과와 같습니다. 이 문제는 {EPOCHS} epoch 학습합니다. 반복 횟수(range)를 확인하세요.",
                f"`{{name}}` is what {{detail}} epochs give; train for {EPOCHS}. Check the range of the loop.",
                kinds=(Kind.LOOP, Kind.HOMEWORK), recognize=_epochs),
        Mistake(Code.WRONG_START,
                f"`{{name}}`: 초기값 (w0, w1) = {pair(W_INIT)}이(가) 아니라 {{detail}} 근처에서 학습을 시작한 결과입니다. 반복문 전에 모형의 가중치에 초기값을 넣었나요?",
                f"`{{name}}` is what training from about {{detail}} gives, not from (w0, w1) = {pair(W_INIT)}. Did you set the model's weights before the loop?",
                kinds=(Kind.LOOP, Kind.HOMEWORK), recognize=_start),
        Mistake(Code.OPTIMIZER_SETTINGS,
                f"`{{name}}`: optimizer가 lr={LR:g}인 기본 SGD가 아닙니다 ({{detail}}). 강의처럼 torch.optim.SGD(net.parameters(), lr={LR:g})만 쓰세요.",
                f"`{{name}}`: the optimizer is not plain SGD with lr={LR:g} ({{detail}}). Use torch.optim.SGD(net.parameters(), lr={LR:g}), as in the lecture."),
        Mistake(Code.CELL_RAISED,
                "`{name}`을(를) 만드는 셀에서 오류가 났습니다: {detail} 오류 메시지를 읽고 그 셀을 고친 뒤 위에서부터 다시 실행하세요.",
                "The cell that makes `{name}` raised an error: {detail} Read the message, fix that cell and run the cells again from the top."),
        Mistake(Code.CELL_SKIPPED,
                "`{name}`을(를) 만드는 셀이 {detail}(으)로 시작해서 채점기가 실행하지 않았습니다. 채점기는 %%time, %%capture, "
                "%%writefile, 한 번만 도는 %%timeit -n1 -r1 셀만 실행합니다. 그 줄을 지우고 제출하세요.",
                "The cell that makes `{name}` starts with {detail}, which the grader does not run (it runs %%time, "
                "%%capture, %%writefile and %%timeit -n1 -r1 cells). Remove that line and submit again."),
        # named by the grader (grading.Grader), which compares the data in scope with its own
        Mistake(Code.DATA_MISMATCH,
                "`{name}`은(는) 주어진 데이터와 다른 데이터({detail})(으)로 계산되었습니다. 데이터 셀을 고치거나 데이터를 다시 만들지 말고, 위에서부터 한 번씩만 실행하세요.",
                "`{name}` was computed on data ({detail}) that differ from the given data. Do not edit or regenerate the data, and run the cells once from the top.",
                needs_reference=True),
        # --- nothing more specific fits
        Mistake(Code.INCONSISTENT,
                "`{name}`이(가) 앞에서 직접 구한 값들로 계산한 결과와 맞지 않습니다. {detail}이어야(여야) 합니다.",
                "`{name}` does not follow from your own earlier values: it should be {detail}."),
        Mistake(Code.WRONG_VALUE,
                "`{name}`{value}이(가) 채점기가 같은 데이터로 계산한 {what}과(와) 다릅니다. 그 계산을 한 줄씩 출력해서 확인하세요.",
                "`{name}`{value} differs from {what}, computed by the grader on the same data. Print that computation "
                "step by step to check it."),
        # --- only from the second run, on fresh data (grading.grade_submission)
        Mistake(Code.HARD_CODED,
                "`{name}`은(는) 주어진 데이터에서는 맞지만 데이터가 바뀌면 맞지 않습니다: 계산하지 않고 값을 직접 입력한 것으로 보입니다. {detail}",
                "`{name}` is right on the given data but not when the data change: it looks typed in, not computed. {detail}",
                needs_reference=True),
    ]
}

# what `inconsistent` and `wrong_value` say each kind of quantity should be
FOLLOWS_FROM = {
    Kind.DATA: {"ko": "주어진 데이터 셀이 만드는 값", "en": "what the given data cell makes"},
    Kind.YHAT: {"ko": "모형에 X를 넣은 값", "en": "the model applied to X"},
    Kind.LOSS: {"ko": "y와 yhat의 평균제곱오차", "en": "the mean squared error of y and yhat"},
    Kind.GRAD: {"ko": "loss를 이 파라미터로 미분한 값", "en": "the derivative of the loss by this parameter"},
    Kind.UPDATE: {"ko": f"'업데이트 전 값 - {LR:g} × 기울기'", "en": f"the value before the update - {LR:g} × the gradient"},
    Kind.LOOP: {"ko": f"{pair(W_INIT)}에서 시작해 X, y로 {EPOCHS}번 학습한 결과",
                "en": f"{EPOCHS} epochs from {pair(W_INIT)} on X and y"},
    Kind.HOMEWORK: {"ko": f"{pair(W_INIT)}에서 시작해 X, y로 기울기를 지우지 않고 {EPOCHS}번 학습한 결과",
                    "en": f"{EPOCHS} epochs from {pair(W_INIT)} on X and y, never clearing the gradient"},
    Kind.ACCUMULATED: {"ko": "역전파를 두 번 한 기울기", "en": "the gradient after two backward passes"},
    Kind.ZEROS: {"ko": "0으로 채운 기울기", "en": "a gradient of zeros"},
}

PASSED = {"ko": "통과했습니다.", "en": "Passed."}
CARRIED = {
    "ko": "앞 단계의 값이 틀렸지만, 그 값으로부터 이 단계는 맞게 계산했습니다 (점수 인정).",
    "en": "An earlier value was wrong, but this step is right given it (credit carried forward).",
}


def follows(earlier: str) -> dict[str, str]:
    return {
        "ko": f"앞 단계 `{earlier}`의 실수 때문에 이 값을 확인할 수 없습니다. 그 실수를 먼저 고치세요.",
        "en": f"This value cannot be checked because of the earlier mistake in `{earlier}`: fix that first.",
    }


def unchecked(loss: str) -> dict[str, str]:
    """A gradient of a loss whose form the grader does not know: it cannot be derived, so not checked."""
    return {
        "ko": particles(f"`{loss}`이(가) 채점기가 아는 loss 형태가 아니어서, 이 기울기가 그 loss를 맞게 미분한 값인지 "
                        f"확인할 수 없습니다 (점수 없음). `{loss}`을(를) 평균제곱오차로 고치세요."),
        "en": f"`{loss}` is not a loss the grader knows, so it cannot check that this gradient is the derivative of "
              f"that loss (no points). Make `{loss}` the mean squared error.",
    }


def message(code: Code, name: str, detail: str | dict = "", facts=None, **fields) -> dict[str, str] | None:
    """The mistake's message as the facts allow it (None: no way of telling it that the facts confirm)."""
    return CATALOGUE[code].message(facts, name=name, detail=detail, **fields)


def recognizers(kind: Kind, hidden: bool) -> list[Mistake]:
    return [m for m in CATALOGUE.values() if kind in m.kinds and m.recognize and (hidden or not m.needs_reference)]
