"""Reports: feedback per student (HTML and Markdown), a summary with plots, canvas.csv."""

import csv
import shutil

import mutants
import nbformat
import pytest
from conftest import EXAMPLES

from autograder.batch.grade import Options, grade
from autograder.engine.records import Record
from autograder.report.pages import write_reports

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
    shutil.copy(EXAMPLES / "solution.ipynb", folder / "kimminsu_12345_67890_hw04.ipynb")
    (folder / "broken.ipynb").write_text("{ not json")
    out = tmp_path_factory.mktemp("out")
    grade([str(folder)], out, Options(jobs=1), log=lambda m: None)
    return out


@pytest.fixture(scope="module")
def reports(batch, tmp_path_factory):
    made = {}
    for lang, reveal in [("ko", "hints"), ("en", "values"), ("en", "none")]:
        out = tmp_path_factory.mktemp(f"{lang}-{reveal}")
        shutil.copytree(batch, out, dirs_exist_ok=True)
        write_reports(out, lang=lang, reveal=reveal)
        made[(lang, reveal)] = out
    return made


def page(out, stem, suffix=".html"):
    return (out / "feedback" / f"{stem}{suffix}").read_text(encoding="utf-8")


def test_feedback_names_the_mistake_in_the_chosen_language(reports):
    ko, en = reports[("ko", "hints")], reports[("en", "values")]
    for stem, code, korean, english in [
        ("broadcast", "broadcast", "브로드캐스팅", "broadcasts to a 100×100 matrix"),
        ("sum_not_mean", "sum_not_mean", "평균(torch.mean)", "the MSE is their mean"),
        ("grad_accumulated", "grad_accumulated", "기울기가 누적", "gradients accumulated"),
        ("no_zero_grad", "no_zero_grad", "zero_grad() 없이", "without zero_grad()"),
        ("hard_coded", "hard_coded", "직접 입력", "typed in"),
    ]:
        for suffix in (".html", ".md"):
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


def test_summary_has_every_section(reports):
    html = (reports[("en", "values")] / "summary.html").read_text(encoding="utf-8")
    for part in ("Total scores", "Pass rate per question", "Mistakes", "Final weights of the training loop",
                 "Submissions to look at", "broken", "hard_coded", "grad_accumulated"):
        assert part in html
    assert html.count("data:image/png;base64,") == 3


def test_canvas_csv_has_the_header_and_a_row_per_student_with_the_grades(reports):
    out = reports[("ko", "hints")]
    with open(out / "canvas.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(out / "grades.csv", encoding="utf-8") as f:
        grades = {r["student"]: float(r["score"]) for r in csv.DictReader(f)}
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hw04"]
    assert rows[1][0] == "Points Possible"
    body = {r[0]: r for r in rows[2:]}
    assert set(body) == set(grades)
    assert all(float(r[5]) == grades[name] for name, r in body.items())
    assert body["kimminsu"][1] == "12345"


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
