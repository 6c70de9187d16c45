"""Korean particles chosen by the sound before them, as a person writes them.

Messages are written with the neutral forms (`이(가)`, `을(를)`, `은(는)`, `과(와)`, `(으)로`,
`이어야(여야)`) right after a word; `particles(text)` replaces each with the one form that fits the
word's last syllable as it is read aloud: Hangul by its final consonant, numbers as they are read
(1 일, 10 십, 0.5 영 점 오, 1/2 이분의 일), code names by their last word or letter (loss 로스,
net 넷, lr 엘알, X 엑스). A word glued to a particle by a closing backtick, quote or bracket is read
without it; a space before a neutral form is dropped (particles attach to their word).
"""

from __future__ import annotations

import re

# final sound of a syllable: None (a vowel), "ㄹ" or another consonant ("c")
_VOWEL, _RIEUL, _CONSONANT = None, "ㄹ", "c"

_DIGITS = {"0": "c", "1": "ㄹ", "2": None, "3": "c", "4": None, "5": None, "6": "c", "7": "ㄹ", "8": "ㄹ", "9": None}
# 십 백 천 만 억 조: the last non-zero place of a whole number ending in zeros
_PLACES = [(12, "c"), (8, "c"), (4, "c"), (3, "c"), (2, "c"), (1, "c")]

# English letters as Korean reads them: 엘 엠 엔 알 end in a consonant, the rest in a vowel
_LETTERS = {"l": "ㄹ", "m": "c", "n": "c", "r": "ㄹ"}

# words of this homework's code and of PyTorch, as a Korean speaker reads them
_WORDS = {
    "loss": None, "net": "c", "what": "c", "yhat": "c", "grad": None, "weight": None, "bias": None, "data": None,
    "step": "c", "backward": None, "zero": None, "model": "ㄹ", "module": "ㄹ", "linear": None, "sequential": "ㄹ",
    "tensor": None, "optimizer": None, "optim": "c", "sgd": None, "mse": None, "mseloss": None, "lossfn": "c",
    "criterion": "c", "epoch": None, "epoc": None, "lr": "ㄹ", "item": "c", "none": "c", "nan": "c", "inf": None,
    "true": None, "false": None, "float": None, "int": None, "long": "c", "double": "ㄹ", "shape": None,
    "dtype": "c", "reshape": None, "sum": "c", "mean": "c", "train": "c", "trainer": None, "fit": "c", "opt": "c",
    "params": "c", "param": "c", "parameters": None, "layer": None, "lin": "c", "fc": None, "x": None, "y": None,
    "error": None, "typeerror": None, "valueerror": None, "runtimeerror": None, "nameerror": None, "python": "c",
    "torch": None, "numpy": None, "adam": "c", "momentum": "c", "nesterov": None, "decay": None, "rmse": None,
    "mae": None, "huber": None, "l1loss": None, "set_to_none": "c", "zero_grad": None, "homework": None,
    "loop": "c", "check": "c", "cell": "ㄹ", "notebook": "c", "seed": None, "output": None, "input": None,
}

_HANGUL = re.compile(r"[가-힣]")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?(?:/(\d+))?$")


def final_sound(word: str) -> str | None:
    """None when `word`, read aloud, ends in a vowel; "ㄹ" after ㄹ; "c" after any other consonant."""
    word = re.sub(r"\(\)$", "", word.strip().rstrip("`'\"”’"))  # step() reads as step
    word = word.rstrip("`'\")]}>»”’.,:;!? ").strip()
    if not word:
        return _VOWEL
    last = word[-1]
    if _HANGUL.match(last):
        jong = (ord(last) - 0xAC00) % 28
        return _VOWEL if jong == 0 else (_RIEUL if jong == 8 else _CONSONANT)
    number = re.search(r"[-+]?[\d.]+(?:/\d+)?$", word)
    if number and re.search(r"\d", number.group()):
        return _number_sound(number.group().lstrip("+-"))
    token = re.split(r"[^A-Za-z_0-9]", word)[-1] or word
    token = token.lower()
    if token in _WORDS:
        return _WORDS[token]
    part = token.rsplit("_", 1)[-1] or token  # grad_twice → twice
    if part in _WORDS:
        return _WORDS[part]
    return _english(part)


def _number_sound(text: str) -> str | None:
    m = _NUMBER.match(text)
    if not m:
        return _DIGITS.get(text[-1]) if text[-1:].isdigit() else _VOWEL
    whole, decimals, denominator = m.groups()
    if denominator:  # a/b reads "b분의 a": it ends with a's reading
        return _number_sound(whole)
    if decimals:  # read digit by digit after the point
        return _DIGITS[decimals[-1]]
    digits = whole.lstrip("0") or "0"
    if digits == "0":
        return "c"  # 영
    trailing = len(digits) - len(digits.rstrip("0"))
    if trailing == 0:
        return _DIGITS[digits[-1]]
    return next(sound for place, sound in _PLACES if trailing >= place)


def _english(word: str) -> str | None:
    """An English-looking word not in the table: by its last letters, as loanwords are written."""
    if not word:
        return _VOWEL
    if len(word) == 1 or not re.search(r"[aeiou]", word):  # read letter by letter: lr, mz, X
        return _LETTERS.get(word[-1], _VOWEL)
    if word.endswith("ng") or word[-1] in "mn":
        return _CONSONANT
    if word[-1] == "l":
        return _RIEUL
    # a short vowel then p, t, k: 넷, 스텝, 핏 (a long one or a cluster gets 트/프/크: a vowel)
    if re.search(r"(?:^|[^aeiou])[aeiou][ptk]$", word) or word.endswith("ck"):
        return _CONSONANT
    return _VOWEL


# neutral form → (after a consonant, after a vowel); (으)로 also takes 로 after ㄹ
_FORMS = {
    "이(가)": ("이", "가"), "을(를)": ("을", "를"), "은(는)": ("은", "는"), "과(와)": ("과", "와"),
    "이어야(여야)": ("이어야", "여야"), "(으)로": ("으로", "로"),
}
_NEUTRAL = re.compile(r"(\S+?)\s?(" + "|".join(re.escape(f) for f in sorted(_FORMS, key=len, reverse=True)) + ")")


def particle(word: str, form: str) -> str:
    """The particle `form` (a neutral form, see _FORMS) that follows `word`."""
    after_consonant, after_vowel = _FORMS[form]
    sound = final_sound(word)
    if form == "(으)로" and sound == _RIEUL:
        return after_vowel
    return after_vowel if sound is _VOWEL else after_consonant


def particles(text: str) -> str:
    """Every neutral form in `text` replaced by the particle its word takes, attached to the word."""
    return _NEUTRAL.sub(lambda m: m.group(1) + particle(m.group(1), m.group(2)), text)
