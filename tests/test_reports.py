"""Reports: feedback per student (HTML, Markdown, plain text), a summary with plots, canvas.csv."""

import csv
import html
import json
import logging
import re
import shutil
import subprocess
import warnings

import mutants
import nbformat
import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.batch.results import Result, load_results
from autograder.engine.records import Record
from autograder.report import plots
from autograder.report.pages import (
    PLOT_LABELS,
    WHO_SHOWN,
    Shown,
    counts,
    feedback_html,
    feedback_text,
    loop_ends,
    loop_point,
    notes,
    plot_labels,
    stems,
    summary_html,
    write_reports,
)
from autograder.spec.questions import QUESTIONS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LEAKS = ["run_check", "OK_FORMAT", "def test_", "import torch", "solutions", "reference.py", "manual_seed",
         "expected_values", "hidden=True"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    for path in EXAMPLES.glob("*.ipynb"):
        shutil.copy(path, folder / path.name)
    for name in ("sum_not_mean", "grad_accumulated", "data_mismatch"):
        nbformat.write(mutants.mutant(name), folder / f"{name}.ipynb")
    nbformat.write(mutants.hard_coded(), folder / "hard_coded.ipynb")
    # a file from a Canvas download, named as Canvas names it, given by itself: its Canvas id is believed
    canvas = tmp_path_factory.mktemp("canvas") / "kimminsu_12345_67890_hw04.ipynb"
    shutil.copy(EXAMPLES / "solution.ipynb", canvas)
    (folder / "broken.ipynb").write_text("{ not json")
    out = tmp_path_factory.mktemp("out")
    grade([str(folder), str(canvas)], out, Options(jobs=1, keep_workers=True), log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def reports(batch, tmp_path_factory):
    made = {}
    for lang, reveal in [("ko", "hints"), ("en", "values"), ("en", "none")]:
        out = tmp_path_factory.mktemp(f"{lang}-{reveal}")
        shutil.copytree(batch, out, dirs_exist_ok=True)
        write_reports(out, lang=lang, reveal=reveal, partial=True)  # no hand points typed here: canvas.csv as it stands
        made[(lang, reveal)] = out
    return made


def page(out, stem, suffix=".html"):
    """A feedback page's text; Markdown as it reads once rendered (its escapes undone)."""
    text = (out / "feedback" / f"{stem}{suffix}").read_text(encoding="utf-8")
    if suffix == ".md":
        text = html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))
    return text


def test_feedback_names_the_mistake_in_the_chosen_language(reports):
    ko, en = reports[("ko", "hints")], reports[("en", "values")]
    for stem, code, korean, english in [
        ("broadcast", "broadcast", "브로드캐스팅", "broadcasts to a 100×100 matrix"),
        ("sum_not_mean", "sum_not_mean", "평균(torch.mean)", "the MSE is their mean"),
        ("grad_accumulated", "grad_accumulated", "기울기가 누적", "gradients accumulated"),
        ("no_zero_grad", "no_zero_grad", "지우지 않고", "without clearing the gradient"),
        ("hard_coded", "hard_coded", "직접 입력", "typed in"),
    ]:
        for suffix in (".html", ".md", ".txt"):
            assert code in page(ko, stem, suffix) and korean in page(ko, stem, suffix)
            assert code in page(en, stem, suffix) and english in page(en, stem, suffix)
            assert korean not in page(en, stem, suffix)


def test_feedback_leaks_no_test_or_reference_source(reports):
    for out in reports.values():
        for path in (out / "feedback").iterdir():
            text = path.read_text(encoding="utf-8")
            assert not [leak for leak in LEAKS if leak in text], path.name


def test_expected_values_only_under_reveal_values(reports):
    assert "110.031" not in page(reports[("ko", "hints")], "broadcast")  # loss2 was 187.28: the answer stays hidden
    assert "110.031" in page(reports[("en", "values")], "broadcast")
    none = page(reports[("en", "none")], "broadcast")
    assert "broadcasts to a 100×100" not in none and "187.2" not in none  # scores only
    assert "broadcasts to a 100×100" in page(reports[("en", "values")], "broadcast")
    # a loop's value is its final weights, as numbers (no_zero_grad ends where the homework does)
    assert "-1.605479" in page(reports[("en", "values")], "no_zero_grad")


def test_summary_has_every_section(reports):
    html = (reports[("en", "values")] / "summary.html").read_text(encoding="utf-8")
    for part in ("Total scores", "Pass rate per question", "Mistakes", "Final weights of the training loop",
                 "Submissions to look at", "broken", "hard_coded", "grad_accumulated"):
        assert part in html
    assert html.count("data:image/png;base64,") == 3


def test_canvas_csv_has_the_student_with_a_canvas_id_and_unmatched_csv_everyone_else(reports):
    """Without a roster only a Canvas download's user id can be matched (tests/test_lms.py has the rest)."""
    out = reports[("ko", "hints")]
    with open(out / "canvas.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(out / "unmatched.csv", encoding="utf-8") as f:
        unmatched = {r["student"] for r in csv.DictReader(f)}
    with open(out / "grades.csv", encoding="utf-8") as f:
        grades = {r["student"]: float(r["score"]) for r in csv.DictReader(f)}
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw04"]
    assert rows[1][0] == "Points Possible"
    body = {r[0]: r for r in rows[2:]}
    assert set(body) == {"kimminsu"} and body["kimminsu"][1] == "12345"
    assert float(body["kimminsu"][5]) == grades["kimminsu"]
    assert unmatched == set(grades) - {"kimminsu"}


def test_gradescope_messages_follow_reveal():
    r = Record("method2", "loss2", 0.0, 2.0, False, True, "broadcast", {"ko": "한국어", "en": "english"},
               student=187.279, expected=110.031)
    assert "110.031" not in r.feedback("hints") and "broadcast" in r.feedback("hints")
    assert "110.031" in r.feedback("values")
    assert "broadcast" not in r.feedback("none")


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (.ci/run installs it)")
def test_pages_open_in_headless_chromium(reports, tmp_path):
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out = reports[("ko", "hints")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            for target in (out / "summary.html", out / "feedback" / "broadcast.html"):
                tab = browser.new_page(viewport={"width": 1000, "height": 1200})
                errors = []
                tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                tab.on("pageerror", lambda e: errors.append(str(e)))
                tab.goto(target.as_uri())
                tab.wait_for_load_state("load")
                assert errors == [], target.name
                images = tab.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
                assert all(images) and (images or target.name != "summary.html")
                shot = tmp_path / f"{target.stem}.png"
                tab.screenshot(path=str(shot), full_page=True)
                colors = Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)
                assert colors is not None and len(colors) > 50, "the page rendered blank"
        finally:
            browser.close()


# --- hand-built results (unit tests of the summary's counts, the dedupe, plain text and escaping)

def rec(question, check, passed=True, mistake=None, en="Passed.", student=None, hidden=True, points=None):
    max_points = next((q.points for q in QUESTIONS[question].quantities if q.path == check), 1) \
        if question in QUESTIONS else 1
    return {"question": question, "check": check, "points": (max_points if passed else 0) if points is None else points,
            "max_points": max_points, "passed": passed, "hidden": hidden, "mistake": mistake,
            "message": {"ko": en, "en": en}, "carried_forward": False, "student": student, "expected": None}


def result(submission, student=None, records=(), status="graded", score=None):
    questions = {q: 0.0 for q in QUESTIONS}
    for r in records:
        questions[r["question"]] = questions.get(r["question"], 0) + r["points"]
    total = sum(q.points for q in QUESTIONS.values())
    return {"submission": submission, "student": student or submission, "status": status, "reason": "",
            "score": sum(questions.values()) if score is None else score, "max_score": total,
            "questions": questions, "records": list(records)}


def full_marks(submission, student=None, extra=()):
    """Every scored quantity passed (its loop ended at the least-squares solution), plus `extra`."""
    records = [rec(q.question, q.path, student=[2.53, 3.99] if q.question == "loop" else None)
               for question in QUESTIONS.values() if question.points > 0 for q in question.quantities]
    return result(submission, student, records + list(extra))


def section(html, name):
    return re.search(rf"<section id='{name}'>(.*?)</section>", html, re.S).group(1)


def view(r):
    """A result dict made here, as the pages take it: through the constructor a results file goes through."""
    return Shown.of(Result.from_json(r) if isinstance(r, dict) else r)


def views(results):
    return [view(r) for r in results]


def test_counts_distinct_students_and_files():
    results = [full_marks("kim_a", "kim"), full_marks("kim_b", "kim"), full_marks("lee", "lee")]
    assert counts(views(results)) == (2, 3)
    html = summary_html(views(results), "en")
    assert "Students: <b>2</b> · Files: <b>3</b>" in html


def test_practice_question_never_marks_a_full_marks_student_as_missing_something():
    ann = full_marks("ann", extra=[rec("sgd", "grad_twice", False, "missing", "`grad_twice` is not defined.")])
    bob = full_marks("bob")
    bob["records"] = [r if r["check"] != "loss2" else rec("method2", "loss2", False, "broadcast", "`loss2` broadcasts")
                      for r in bob["records"]]
    bob["questions"]["method2"] -= 2
    html = summary_html(views([ann, bob]), "en")
    mistakes, practice, students = section(html, "mistakes"), section(html, "practice"), section(html, "students")
    assert "bob" in mistakes and "broadcast" in mistakes
    assert "ann" not in mistakes and "missing" not in mistakes
    assert "missing" in practice and "ann" in practice and "do not count toward the score" in practice
    ann_row = re.search(r"<tr data-submission='ann'>(.*?)</tr>", students).group(1)
    assert "<td>—</td>" in ann_row and "sgd 0/1" in ann_row  # nothing lost; the practice result apart
    assert "method2 (2/4)" in re.search(r"<tr data-submission='bob'>(.*?)</tr>", students).group(1)


def test_practice_failures_of_the_batch_stay_out_of_the_scored_mistakes(reports):
    html = (reports[("en", "values")] / "summary.html").read_text(encoding="utf-8")
    # `lecture` has full marks and left the practice question blank
    assert "lecture" not in section(html, "mistakes") and "lecture" not in section(html, "trouble")
    assert "lecture" in section(html, "practice")


def test_mistake_table_describes_each_code_and_counts_students_not_files():
    def broadcaster(submission, student):
        return result(submission, student, [rec("method2", "loss2", False, "broadcast", "`loss2` broadcasts")])

    results = [broadcaster("kim_a", "kim"), broadcaster("kim_b", "kim")]
    results += [broadcaster(f"s{i:02d}", f"student{i:02d}") for i in range(WHO_SHOWN + 5)]
    mistakes = section(summary_html(views(results), "en"), "mistakes")
    row = re.search(r"<td class='code'>broadcast</td>(.*?)</tr>", mistakes).group(1)
    assert "you subtracted two tensors of different shapes" in row and "<code>loss2</code>" in row
    assert f"<td>{WHO_SHOWN + 6}</td>" in row  # kim once, for two files
    assert "and 6 more" in row and row.count("student") == WHO_SHOWN - 1  # kim + WHO_SHOWN - 1 others shown
    assert "shape가 다른 두 텐서를 뺐습니다" in section(summary_html(views(results), "ko"), "mistakes")


def test_a_message_repeated_across_quantities_is_shown_once_per_question():
    typed = "`{}` is right on the given data but not when the data change: it looks typed in, not computed."
    checks = [("method1", "yhat1"), ("method1", "loss1"), ("method2", "yhat2"), ("method2", "loss2")]
    r = result("hc", records=[rec(q, c, False, "hard_coded", typed.format(c)) for q, c in checks]
               + [rec("method3", "loss3", False, "broadcast", "`loss3` broadcasts")])
    found = notes([x for x in view(r).records if x.question == "method1"], "en")
    assert [(n.code, n.checks) for n in found] == [("hard_coded", ["yhat1", "loss1"])]
    assert found[0].text.startswith("Each of these is right on the given data")
    html, text = feedback_html(view(r), "en", "hints"), feedback_text(view(r), "en", "hints")
    for page_text in (html, text):
        assert page_text.count("looks typed in") == 2  # once for method1, once for method2
    assert "applies to: <code>yhat1</code>, <code>loss1</code>" in html
    assert "(applies to: yhat1, loss1)" in text
    assert "<code>loss3</code> broadcasts" in html  # a message on one quantity keeps its name


def test_the_hard_coded_notebook_gets_its_message_once_per_question(reports, batch):
    hard = json.loads((batch / "results" / "hard_coded.json").read_text(encoding="utf-8"))
    flagged = [r for r in hard["records"] if r["hidden"] and r["mistake"] == "hard_coded"]
    questions = {r["question"] for r in flagged}
    assert len(flagged) > 2 * len(questions)  # the case the dedupe is for
    for suffix in (".html", ".md", ".txt"):
        assert page(reports[("en", "values")], "hard_coded", suffix).count("looks typed in") == len(questions)
        assert page(reports[("ko", "hints")], "hard_coded", suffix).count("직접 입력") == len(questions)


def test_plain_text_feedback_has_no_markdown_and_a_file_per_submission(reports, batch):
    submissions = {p.stem for p in (batch / "results").glob("*.json")}
    for out in reports.values():
        texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.txt")}
        assert set(texts) == submissions
        for stem, text in texts.items():
            assert not [m for m in ("**", "`", "#", "✅", "❌") if m in text], stem
    en = page(reports[("en", "values")], "broadcast", ".txt")
    assert "failed: loss2 0/2 [broadcast]" in en and "broadcasts to a 100×100 matrix" in en
    assert "Score: 58 / 64" in en  # the whole assignment: the written question is part of it


EVIL = "<script>alert(1)</script>" + "x" * 500


def test_everything_a_student_controls_is_escaped_and_bounded(tmp_path):
    bad = result("../<b>evil" + "y" * 400, EVIL, [
        rec("method2", "<svg onload=alert(1)>", False, "<i>code</i>", "<img src=x onerror=alert(1)> `a<b`" + "z" * 5000,
            student="<i>" * 1000),
        rec("loop", "net", student=[1.0, 2.0]),
    ])
    bad["reason"] = "<iframe>" + "r" * 5000
    pages = [feedback_html(view(bad), "en", "values"), summary_html(views([bad]), "en"), feedback_text(view(bad), "en", "values")]
    for text in pages[:2]:
        for raw in ("<script", "<svg", "<img src=x", "<i>", "<b>evil", "<iframe"):
            assert raw not in text
        assert "&lt;script&gt;" in text and "x" * 100 not in text
        assert "z" * 600 not in text and "&lt;i&gt;" * 100 not in text and "r" * 600 not in text
    assert "<code>a&lt;b</code>" in pages[0]
    assert "&lt;i&gt;" * 30 in pages[0]  # the value is shown, cut short
    assert all(len(line) < 900 for line in pages[2].splitlines())
    name = stems([Result.from_json(bad)])[bad["submission"]]
    assert re.fullmatch(r"[\w.-]+", name) and ".." not in name.split("/")
    # a forged result file cannot make the report write outside feedback/
    out = tmp_path / "out"
    (out / "results").mkdir(parents=True)
    bad["submission"] = "../../escaped"
    (out / "results" / "x.json").write_text(json.dumps(bad), encoding="utf-8")
    write_reports(out, lang="en", reveal="values")
    assert sorted(p.name for p in out.iterdir()) == ["canvas.csv", "canvas_feedback.zip", "feedback", "grades.csv", "manual-state.json",
                                                     "manual.csv", "results", "summary.html", "unmatched.csv"]
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["escaped.html", "escaped.md", "escaped.txt"]
    assert 'href="feedback/escaped.html"' in (out / "summary.html").read_text(encoding="utf-8")


def test_loop_plot_has_one_point_per_graded_student_whose_loop_ran(batch):
    made = [full_marks(f"s{i}") for i in range(3)]
    made[1]["records"] = [r if r["question"] != "loop" else {**r, "student": [1e12, -1e12]} for r in made[1]["records"]]
    no_loop = result("none", records=[rec("loop", "net", False, "missing", "`net` missing")])
    not_numbers = result("odd", records=[rec("loop", "net", False, "wrong_value", "x", student=["a", 1])])
    crashed = full_marks("crashed")
    crashed["status"] = "crashed"
    points = [p for p in map(loop_point, views(made + [no_loop, not_numbers, crashed])) if p]
    assert len(points) == 3
    fig = plots.loop_figure(points, {"loop": (2.5306, 3.9915)}, PLOT_LABELS["en"])
    students = fig.axes[0].collections[0]
    assert len(students.get_offsets()) == 3
    (x0, x1), (y0, y1) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in students.get_offsets())  # the far one on the edge
    plots.plt.close(fig)
    # the batch: every graded notebook in it defines `net`, the invalid one is left out
    results = load_results(batch)
    graded = [r for r in results if r.status == "graded"]
    points = [p for p in map(loop_point, results) if p]
    assert len(points) == len(graded) == len(results) - 1
    assert (2.530567, 3.991545) in points and (-1.605479, 9.760649) in points  # solution, no_zero_grad
    assert set(loop_ends(results)) == {"loop", "homework"}


def _font_noise(caught, caplog):
    return [str(w.message) for w in caught if "glyph" in str(w.message).lower() or "font" in str(w.message).lower()] \
        + [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]


def test_korean_plots_use_a_hangul_font_or_fall_back_to_english_labels(monkeypatch, caplog):
    results = [full_marks("a"), full_marks("b")]
    font = plots.hangul_font()
    if font:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font

        assert plot_labels("ko") == PLOT_LABELS["ko"]
        assert ord("가") in FT2Font(font_manager.findfont(font, fallback_to_default=False)).get_charmap()
    else:
        assert plot_labels("ko") == PLOT_LABELS["en"]
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        summary_html(views(results), "ko")
    assert _font_noise(caught, caplog) == []
    monkeypatch.setattr(plots, "hangul_font", lambda: None)  # a machine without a Korean font
    assert plot_labels("ko") == PLOT_LABELS["en"]
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        summary_html(views(results), "ko")
    assert _font_noise(caught, caplog) == []


def _fc_has_nanum():
    if not shutil.which("fc-list"):
        return False
    return "nanum" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout.lower()


@pytest.mark.skipif(not _fc_has_nanum(), reason="fonts-nanum is not installed (.ci/run installs it)")
def test_an_installed_nanum_font_is_found_even_if_matplotlib_cached_its_font_list_before():
    assert "nanum" in plots.hangul_font().lower()


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (.ci/run installs it)")
def test_summary_students_table_links_to_each_feedback_page_and_shows_the_loop_plot(reports, batch, tmp_path):
    from playwright.sync_api import sync_playwright

    out = reports[("ko", "hints")]
    results = load_results(batch)
    who = {r.submission: r.student or r.submission for r in results}
    long_name = tmp_path / "long.html"
    long_name.write_text(summary_html(views([full_marks("long", "김" + "W" * 300)]), "en"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            tab = browser.new_page(viewport={"width": 1000, "height": 1200})
            tab.goto((out / "summary.html").as_uri())
            rows = tab.locator("#students tr[data-submission]")
            assert rows.count() == len(results)
            shown = {rows.nth(i).get_attribute("data-submission"): rows.nth(i).locator("td.name").inner_text()
                     for i in range(rows.count())}
            assert shown == who
            for submission, name in who.items():
                tab.goto((out / "summary.html").as_uri())
                tab.locator(f"#students tr[data-submission='{submission}'] a").click()
                tab.wait_for_load_state("load")
                assert tab.url == (out / "feedback" / f"{submission}.html").as_uri()
                assert name in tab.locator("h1").inner_text()
            tab.goto((out / "summary.html").as_uri())
            loop = tab.locator("#loop img")
            assert loop.evaluate("i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/png')")
            assert str(len([r for r in results if loop_point(r)])) in tab.locator("#loop p.note").first.inner_text()
            tab.goto(long_name.as_uri())
            cell = tab.locator("#students td.name")
            assert cell.evaluate("c => c.scrollWidth <= c.clientWidth && c.getBoundingClientRect().right "
                                 "<= c.closest('table').getBoundingClientRect().right")
        finally:
            browser.close()
