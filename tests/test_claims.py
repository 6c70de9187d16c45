"""Every message the grader gives a slip agrees with the notebook's own code and values.

A property over every slip of the corpora (tests/slips_*.py) and the mutants (tests/mutants.py):
each message that names a call, a learning rate or a cell is checked here against facts this test
reads for itself from the notebook, never from the grader:
- the graded code of a record: the cells from the check cell before its question's check cell up
  to that one (the whole notebook where the question has no check cell), with the functions and
  methods those cells call;
- a call a message says is there (`zero_grad()`, `step()`, `backward()`, with its receiver where it
  names one) is in that code; one it says is not (right after `without`, `no`, `never call`, or in a
  question `Did you ...`) is not;
- an `lr=V` is the lr of an optimizer whose `step()` that code calls (or of the `lr` it assigns);
- an error quoted as a cell's is one a cell before the check raised, no later cell made the value
  again, and the quote is the whole message or ends at a sentence's end;
- a loop question names a cause only when a loop in its graded code ran;
- Korean text holds no undecided particle (이(가), 을(를), ...) and none that does not fit its word;
- a hidden `wrong_value` gives a lead: what the value was compared with.
"""

from __future__ import annotations

import ast
import re

import pytest
from corpora import CASES, CORPORA, assess_all, slips

CHECK = re.compile(r"""grader\s*\.\s*check\s*\(\s*["']([\w-]+)["']\s*\)""")
LOOPS = ("loop", "homework")
VALUE_CODES_EXEMPT = {"missing", "cell_raised", "cell_skipped", "not_a_tensor", "none", "nan", "shape", "dtype",
                      "not_linear", "wrong_bias", "optimizer_settings", "wrong_optimizer", "data_mismatch", "hard_coded"}
SLIP_KEYS = sorted(k for k, (corpus, case) in CASES.items() if corpus == "mutant" or case in slips(CORPORA[corpus]))


@pytest.fixture(scope="module")
def graded(shared):
    found = assess_all(shared)
    return [(key, found[key]["cells"], found[key]["errors"], [tuple(s) for s in found[key]["said"]]) for key in SLIP_KEYS]


# ---- facts, read from the notebook by this test alone


def _strip_comments(source: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in source.splitlines())


def _region(cells: list[str], question: str) -> list[int]:
    checks = [(i, q) for i, s in enumerate(cells) for q in CHECK.findall(s)]
    at = next((i for i, q in checks if q == question), None)
    if at is None:
        return list(range(len(cells)))
    before = max((i for i, _ in checks if i < at), default=-1)
    return list(range(before + 1, at + 1))


def _defs(cells: list[str]) -> dict[str, str]:
    out = {}
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out[node.name] = ast.get_source_segment(source, node) or ""
    return out


def graded_code(cells: list[str], question: str) -> str:
    code = "\n".join(_strip_comments(cells[i]) for i in _region(cells, question))
    defs, seen = _defs(cells), set()
    while True:
        called = {n for n in re.findall(r"\b(\w+)\s*\(", code) if n in defs and n not in seen}
        if not called:
            return code
        seen |= called
        code += "\n" + "\n".join(_strip_comments(defs[n]) for n in called)


def _calls(code: str, call: str, receiver: str | None) -> bool:
    who = rf"\b{re.escape(receiver)}\s*\.\s*" if receiver else r"\b"
    return re.search(rf"{who}{call}\s*\(", code) is not None


def _optimizer_lrs(code: str) -> set[float]:
    """The lr of every optimizer whose step() the code calls, and of an assigned `lr`."""
    lrs = set()
    for name in set(re.findall(r"\b(\w+)\s*\.\s*step\s*\(", code)):
        made = re.search(rf"\b{name}\s*=\s*torch\.optim\.\w+\((.*)", code)
        if made:
            lit = re.search(r"lr\s*=\s*([0-9.eE+-]+)", made.group(1))
            if lit:
                lrs.add(float(lit.group(1)))
    lrs |= {float(v) for v in re.findall(r"^\s*lr\s*=\s*([0-9.eE+-]+)", code, re.M)}
    return lrs


def _made_after(cells, raised_at: int, check_at: int, head: str, errors) -> bool:
    """A cell after `raised_at` and up to the check that assigns `head` and did not raise."""
    failed = {c for c, _, _ in errors}
    assign = re.compile(rf"^\s*{re.escape(head)}\b[\w.\[\]]*\s*=[^=]", re.M)
    return any(assign.search(cells[i]) and i not in failed for i in range(raised_at + 1, check_at))


def problems(cells, errors, said) -> list[str]:
    from autograder.spec.korean import _FORMS, final_sound

    out = []
    for question, check, hidden, code, message in said:
        en, ko = message.get("en", ""), message.get("ko", "")
        where = f"{question}:{check}{'' if hidden else ' (public)'} [{code}]"
        program = graded_code(cells, question)
        for sentence in re.split(r"(?<=[.?!])\s+", en):
            for m in re.finditer(r"(?:`?([\w\[\]]+)\.)?(zero_grad|step|backward)\(\)", sentence):
                receiver, call = m.group(1), m.group(2)
                prefix = sentence[: m.start()]
                absent = bool(re.search(r"(?:\bwithout|\bno|\bnever calls?)\s*`?$", prefix) or re.search(r"\bDid you\b", prefix))
                there = _calls(program, call, receiver)
                if absent == there:
                    out.append(f"{where}: says {'no' if absent else ''} {receiver or ''}.{call}() — the code "
                               f"{'has' if there else 'has no'} it: {en}")
        for value in re.findall(r"\blr\s*=\s*([0-9.eE+-]*[0-9])", en):
            if float(value) not in _optimizer_lrs(program):
                out.append(f"{where}: names lr={value}, not the lr of the optimizer its code steps: {en}")
        quoted = re.search(r"raised an error: (?:“([^”]*)”|(.*?)(?: \(|\. Read))", en)
        if quoted:
            text = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            check_at = _region(cells, question)[-1]
            kind = text.split(":", 1)[0]
            hits = [(c, t, msg) for c, t, msg in errors if c <= check_at and t == kind]
            if not hits:
                out.append(f"{where}: quotes {kind}, which no cell before the check raised: {en}")
            head = check.split(".")[0]
            for c, t, msg in hits[-1:]:
                if _made_after(cells, c, check_at, head, errors):
                    out.append(f"{where}: blames cell {c}'s error, but a later cell made `{head}`: {en}")
                whole = f"{t}: {' '.join(msg.split())}"
                body = text.rstrip("…").rstrip()
                if text != whole and not (whole.startswith(body) and body[-1:] in ".!?)"):
                    out.append(f"{where}: cuts the error mid-sentence: {text!r}")
        if question in LOOPS and code not in VALUE_CODES_EXEMPT:
            ran = [i for i in _region(cells, question) if re.search(r"^\s*(for|while)\b", cells[i], re.M)
                   and not any(c == i and t == "SyntaxError" for c, t, _ in errors)]
            if not ran and not re.search(r"^\s*(for|while)\b", program, re.M):
                out.append(f"{where}: names a cause for a loop that never ran: {en}")
        for form in _FORMS:
            if form in ko:
                out.append(f"{where}: undecided particle {form}: {ko}")
        for word, p in re.findall(r"`([^`]+)`(이|가|을|를|은|는|과|와)(?![가-힣])", ko):
            pairs = {"이": "가", "을": "를", "은": "는", "과": "와"}
            consonant = p in pairs
            if (final_sound(word) is None) == consonant:
                out.append(f"{where}: particle {p} does not fit `{word}`: {ko}")
        if hidden and code == "wrong_value" and not re.search(r"compared with|computed", en):
            out.append(f"{where}: a hidden wrong_value with no lead: {en}")
    return out


def test_the_corpora_and_mutants_hold_enough_slips():
    assert len(SLIP_KEYS) >= 100


def test_every_message_agrees_with_the_notebooks_code_and_values(graded):
    found = []
    for key, cells, errors, said in graded:
        found += [f"{key}: {p}" for p in problems(cells, errors, said)]
    assert not found, "\n".join(found)


def test_the_property_catches_a_contradicted_message():
    """Positive controls: messages the notebook's code contradicts are caught."""
    cells = ["grader.check('method6')", "loss1.backward()", "x = 1", "grader.check('step3')",
             "optmz5 = torch.optim.SGD(net2.parameters(), lr=0.1)\noptmz5.step()", "grader.check('step4')",
             "for e in range(100):\n    yhat = net(X)\n    loss = mseloss(yhat, y)\n    loss.backward()\n", "grader.check('loop')"]
    said = [("loop", "net", True, "zero_grad_cancels_step",
             {"en": "`net` never moved: with zero_grad() between backward() and step(), step() sees a zero gradient.",
              "ko": "`net`이 움직이지 않았습니다."}),
            ("step4", "net5.weight", True, "no_update",
             {"en": "`net5.weight`: the value did not change. Did you run the optimizer's step()?", "ko": "`net5`을"}),
            ("step4", "net5.weight", True, "wrong_lr", {"en": "`net5.weight`: lr=0.001", "ko": "`loss1` 이(가)"}),
            ("step3", "What1.grad", True, "cell_raised",
             {"en": "The cell that makes `What1.grad` raised an error: “RuntimeError: Trying to backward through the”.",
              "ko": "`What1`가"})]
    errors = [(1, "RuntimeError", "Trying to backward through the graph a second time. Saved values are freed.")]
    found = problems(cells, errors, said)
    assert any("zero_grad" in p for p in found)
    assert any(".step()" in p and "no_update" in p for p in found)
    assert any("lr=0.001" in p for p in found)
    assert any("mid-sentence" in p for p in found)
    assert any("undecided" in p for p in found) and any("does not fit `net5`" in p for p in found)
    assert any("does not fit `What1`" in p for p in found)
