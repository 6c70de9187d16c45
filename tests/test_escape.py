"""Whatever a student puts in a field we report (a name, a file name, a type or error message, printed
output, a value), it comes out inert in every format: HTML, Markdown as rendered, CSV, the
terminal, file names. Random strings made of every format's metacharacters, into every field."""

import csv
import json
import random
import unicodedata
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from autograder.batch import escape
from autograder.batch.results import Result, write_grades_csv, write_result
from autograder.report.pages import write_reports
from autograder.report.table import table
from autograder.spec.questions import QUESTIONS, total_points

PIECES = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "[x](javascript:alert(1))", "![b](http://e/x.png)",
          "<javascript:alert(1)>", "**", "_", "`", "``", "# ", "\n# h", "|", "&lt;", "&#x3C;", "=cmd|' /C calc'!A0",
          "+1", "-2+3", "@SUM(1)", "\t", "\r", "\x1b[31m", "\x1b]0;title\x07", "\x9b2J", "\u202e", "\u2028", "../../etc",
          "/", "\\", "\x00", "김민준", "a", " ", "'", '"', "$(rm -rf ~)", "{{x}}", "<!--", "-->", "<a href='x'>"]


def payload(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))


class Tags(HTMLParser):
    """The tags and attributes a page holds, comments and CDATA too."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.comments, self.sources = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        self.sources += [value or "" for name, value in attrs if name in ("src", "href")]

    def handle_comment(self, data):
        self.comments += 1


def tags_of(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    return parser


MARKDOWN = MarkdownIt("commonmark", {"html": True})  # raw HTML on, as Jupyter and GitHub show it


@pytest.mark.parametrize("seed", range(40))
def test_property_each_format_makes_any_string_inert(seed):
    rng = random.Random(seed)
    text = payload(rng)
    shown = tags_of(escape.html(text))
    assert shown.tags == [] and shown.comments == 0
    rendered = MARKDOWN.render(escape.markdown(text))
    assert set(tags_of(rendered).tags) <= {"p"} and tags_of(rendered).attrs == [], rendered
    in_code = MARKDOWN.render("x " + escape.code(text))
    assert set(tags_of(in_code).tags) <= {"p", "code"} and tags_of(in_code).attrs == [], in_code
    cell = escape.cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.lstrip("-+").replace(".", "").isdigit()
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") for c in escape.terminal(text))
    stem = escape.file_stem(text * 20)
    assert all(c.isalnum() or c in "._-" for c in stem) and len(stem.encode()) <= escape.STEM_BYTES
    assert "/" not in stem and ".." not in stem.split("/")


def result_with(text: str, stem: str) -> dict:
    """A result whose every student-controlled field holds `text`."""
    message = {"ko": f"{text} 값이 다릅니다", "en": f"`{text}` differs: {text}"}
    record = {"question": "method1", "check": "loss1", "points": 0.0, "max_points": 2.0, "passed": False, "hidden": True,
              "message": message, "mistake": text, "student": text, "expected": text, "carried_forward": False}
    return {"submission": stem, "file": text, "file_name": text, "student": text, "student_id": text,
            "members": [{"name": text, "canvas_id": "123", "sid": text, "email": text}], "group": text,
            "canvas": {"user_id": "123", "late": False}, "sha256": "0", "status": "crashed", "reason": text,
            "score": 0.0, "max_score": total_points(), "questions": {q: 0.0 for q in QUESTIONS}, "records": [record],
            "cell_errors": [{"cell": 1, "type": text, "message": text, "memory": False}], "output": text}


@pytest.mark.parametrize("seed", range(4))
def test_property_every_report_keeps_student_text_inert(tmp_path, seed):
    rng = random.Random(seed)
    texts = [payload(rng) for _ in range(3)]
    for i, text in enumerate(texts):
        write_result(tmp_path, Result.from_json(result_with(text, f"s{i}")))
    from autograder.batch.results import load_results

    results = load_results(tmp_path)
    assert len(results) == 3
    write_grades_csv(tmp_path, results)
    for lang in ("ko", "en"):
        write_reports(tmp_path, lang=lang, reveal="values")
        for page in (tmp_path / "feedback").glob("*.html"):
            found = tags_of(page.read_text(encoding="utf-8"))
            assert not {"img", "script", "a", "iframe"} & set(found.tags) and "onerror" not in found.attrs
        for page in (tmp_path / "feedback").glob("*.md"):
            found = tags_of(MARKDOWN.render(page.read_text(encoding="utf-8")))
            assert not {"img", "script", "a", "iframe", "h1"} & set(found.tags) and found.attrs == [], page.read_text()
        summary = tags_of((tmp_path / "summary.html").read_text(encoding="utf-8"))
        assert "script" not in summary.tags and "onerror" not in summary.attrs
        # its own plots and links to its own pages only: nothing a student wrote became an address
        assert all(src.startswith(("data:image/png;base64,", "feedback/", "#")) for src in summary.sources), summary.sources
    for name in ("grades.csv", "canvas.csv", "unmatched.csv"):
        with open(tmp_path / name, encoding="utf-8") as f:
            for row in csv.reader(f):
                for value in row:
                    assert not value.startswith(("=", "+", "@", "\t", "\r")) or value.lstrip("+").replace(".", "").isdigit()
                    assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit() or value == "" \
                        or value.startswith("-") and set(value) == {"-"}
    printed = table([(r.submission + texts[0], r.status) for r in results], list(QUESTIONS), total_points())
    assert "\x1b" not in printed and "\x9b" not in printed and "\u202e" not in printed
    json.dumps([r.to_json() for r in results])
