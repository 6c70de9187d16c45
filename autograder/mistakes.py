"""The catalogue of mistakes: a stable code and a message in Korean and English for each.

Messages explain the slip without handing over the answer: no reference value ever
appears in them. `{name}` is the variable the student wrote; `{detail}` is filled from the
student's own values only (a shape, a type, a learning rate they used).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    code: str
    ko: str
    en: str

    def message(self, **fields) -> dict[str, str]:
        fields.setdefault("detail", "")
        return {"ko": self.ko.format(**fields), "en": self.en.format(**fields)}


CATALOGUE: dict[str, Mistake] = {
    m.code: m
    for m in [
        Mistake(
            "missing",
            "`{name}` 이(가) 정의되지 않았거나 아직 `...` 입니다. 빈칸을 채우고 셀을 위에서부터 차례로 실행하세요.",
            "`{name}` is not defined, or is still `...`. Fill in the blank and run the cells from the top.",
        ),
        Mistake(
            "none",
            "`{name}` 이(가) None 입니다. {detail}",
            "`{name}` is None. {detail}",
        ),
        Mistake(
            "not_a_tensor",
            "`{name}` 은(는) torch.Tensor 여야 하는데 {detail} 입니다.",
            "`{name}` must be a torch.Tensor, but it is {detail}.",
        ),
        Mistake(
            "shape",
            "`{name}` 의 shape 이 맞지 않습니다: {detail}.",
            "`{name}` has the wrong shape: {detail}.",
        ),
        Mistake(
            "nan",
            "`{name}` 에 NaN 또는 inf 가 있습니다. 학습률이나 계산 순서를 확인하세요.",
            "`{name}` contains NaN or inf. Check the learning rate and the order of the steps.",
        ),
        Mistake(
            "too_large",
            "`{name}` 이(가) 너무 커서 비교할 수 없습니다 ({detail}).",
            "`{name}` is too large to compare ({detail}).",
        ),
        Mistake(
            "no_requires_grad",
            "`{name}` 은(는) requires_grad=True 로 만들어야 backward() 로 기울기를 구할 수 있습니다.",
            "`{name}` must be created with requires_grad=True so that backward() can compute its gradient.",
        ),
        Mistake(
            "weights_not_set",
            "`{name}` 의 가중치가 문제에서 정한 초기값 (w0, w1) = (-5, 10) 이 아닙니다.",
            "The weights of `{name}` are not the initial values the problem sets, (w0, w1) = (-5, 10).",
        ),
        Mistake(
            "wrong_bias",
            "`{name}` 의 구조가 이 방법과 다릅니다: {detail}.",
            "`{name}` is not built as this method asks: {detail}.",
        ),
        Mistake(
            "broadcast",
            "`{name}`: shape (100,) 과 (100,1) 을 빼면 브로드캐스팅으로 100×100 행렬이 됩니다. y 를 y.reshape(100,1) 로 맞추세요.",
            "`{name}`: subtracting shapes (100,) and (100,1) broadcasts to a 100×100 matrix. Reshape y with y.reshape(100,1).",
        ),
        Mistake(
            "not_own_mse",
            "`{name}` 이(가) 여러분의 y 와 yhat 으로 계산한 평균제곱오차(MSE)와 다릅니다.",
            "`{name}` is not the mean squared error of your own y and yhat.",
        ),
        Mistake(
            "losses_disagree",
            "`{name}` 이(가) 앞에서 구한 {detail} 와(과) 다릅니다. 여섯 방법은 모두 같은 loss 를 주어야 합니다.",
            "`{name}` differs from {detail} computed earlier. All six methods must give the same loss.",
        ),
        Mistake(
            "grad_inconsistent",
            "`{name}` 이(가) 여러분의 loss 를 미분한 값과 다릅니다. backward() 를 한 번만 실행했는지 확인하세요.",
            "`{name}` is not the derivative of your own loss. Check that backward() ran exactly once.",
        ),
        Mistake(
            "update_inconsistent",
            "`{name}` 이(가) '업데이트 전 값 - 0.1 × 기울기' 와 다릅니다. {detail}",
            "`{name}` is not 'value before the update - 0.1 × gradient'. {detail}",
        ),
        Mistake(
            "wrong_optimizer",
            "`{name}`: {detail}",
            "`{name}`: {detail}",
        ),
        Mistake(
            "loop_inconsistent",
            "`{name}` 이(가) 여러분의 X, y 로 (-5, 10) 에서 시작해 100번 학습한 결과와 다릅니다. {detail}",
            "`{name}` is not what 100 epochs from (-5, 10) on your own X and y give. {detail}",
        ),
        Mistake(
            "data_mismatch",
            "`{name}` 이(가) 주어진 데이터와 다릅니다. 데이터 셀을 고치지 말고, 위에서부터 한 번씩만 실행하세요.",
            "`{name}` differs from the given data. Do not edit the data cell, and run the cells once from the top.",
        ),
        Mistake(
            "wrong_value",
            "`{name}` 의 값이 기대한 값과 다릅니다.",
            "`{name}` does not have the expected value.",
        ),
    ]
}


def message(code: str, name: str, detail: str = "") -> dict[str, str]:
    return CATALOGUE[code].message(name=name, detail=detail)
