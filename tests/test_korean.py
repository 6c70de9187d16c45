"""Korean particles are chosen by the sound of the word before them, as a person reads it aloud."""

import pytest

from autograder.spec.korean import final_sound, particle, particles

# word, 이/가, 을/를, 은/는, 과/와, (으)로, 이어야/여야 — written by hand from how each word is read
TABLE = [
    # Hangul, with and without a final consonant, and with ㄹ (which takes 로)
    ("사과", "가", "를", "는", "와", "로", "여야"),
    ("책", "이", "을", "은", "과", "으로", "이어야"),
    ("모델", "이", "을", "은", "과", "로", "이어야"),
    ("텐서", "가", "를", "는", "와", "로", "여야"),
    ("값", "이", "을", "은", "과", "으로", "이어야"),
    # code names, read as a Korean student reads them
    ("`loss1`", "이", "을", "은", "과", "로", "이어야"),  # 로스 일
    ("`net2`", "가", "를", "는", "와", "로", "여야"),  # 넷 이
    ("`net3.bias.grad`", "가", "를", "는", "와", "로", "여야"),  # 그래드
    ("`net`", "이", "을", "은", "과", "으로", "이어야"),  # 넷
    ("`model`", "이", "을", "은", "과", "로", "이어야"),  # 모델
    ("`lr`", "이", "을", "은", "과", "로", "이어야"),  # 엘알
    ("`X`", "가", "를", "는", "와", "로", "여야"),  # 엑스
    ("`y`", "가", "를", "는", "와", "로", "여야"),  # 와이
    ("`optmz`", "가", "를", "는", "와", "로", "여야"),  # 옵티마이저 / 제트
    ("`lossfn`", "이", "을", "은", "과", "으로", "이어야"),  # 에프엔
    ("torch.optim.SGD", "가", "를", "는", "와", "로", "여야"),  # 에스지디
    ("step()", "이", "을", "은", "과", "으로", "이어야"),  # 스텝
    ("`What1`", "이", "을", "은", "과", "로", "이어야"),  # 왓 일
    ("`optmz6`", "이", "을", "은", "과", "으로", "이어야"),  # 육
    # numbers, as they are read
    ("0.1", "이", "을", "은", "과", "로", "이어야"),  # 영 점 일
    ("0.5", "가", "를", "는", "와", "로", "여야"),  # 영 점 오
    ("10", "이", "을", "은", "과", "으로", "이어야"),  # 십
    ("100", "이", "을", "은", "과", "으로", "이어야"),  # 백
    ("3", "이", "을", "은", "과", "으로", "이어야"),  # 삼
    ("2", "가", "를", "는", "와", "로", "여야"),  # 이
    ("1/2", "이", "을", "은", "과", "로", "이어야"),  # 이분의 일
    ("(-5, 10)", "이", "을", "은", "과", "으로", "이어야"),  # 십
]
FORMS = ("이(가)", "을(를)", "은(는)", "과(와)", "(으)로", "이어야(여야)")


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_each_particle_fits_the_word_as_it_is_read(row):
    word, *expected = row
    assert [particle(word, form) for form in FORMS] == expected


def test_a_neutral_form_in_a_message_is_replaced_and_attached_to_its_word():
    assert particles("`loss1` 이(가) 정의되지 않았습니다") == "`loss1`이 정의되지 않았습니다"
    assert particles("`net2`을(를) 고치세요. MSE에 1/2을(를) 곱한") == "`net2`를 고치세요. MSE에 1/2을 곱한"
    assert particles("torch.optim.SGD이어야(여야) 합니다") == "torch.optim.SGD여야 합니다"


def test_every_catalogue_message_leaves_no_neutral_form():
    from autograder.spec.mistakes import CATALOGUE

    for code, mistake in CATALOGUE.items():
        for way in mistake.ways:
            text = mistake.text(way, name="net2", detail="0.5", optimizer="optmz5", model="net5", loss="loss5",
                                holds={"ko": "`net2`의", "en": "x"}, value=" (1, 2)", what={"ko": "값", "en": "v"})["ko"]
            assert not any(form in text for form in FORMS), (code, text)


def test_a_vowel_word_and_a_consonant_word_differ():
    assert final_sound("사과") is None and final_sound("책") == "c" and final_sound("물") == "ㄹ"
