"""Whose submission is it: Gradescope's submission_metadata.yml is believed only at the top of a
Gradescope export, never from a student's own zip, which could claim to be anyone."""

import io
import zipfile

from conftest import EXAMPLES

from autograder.batch.submissions import collect

SOLUTION = (EXAMPLES / "solution.ipynb").read_bytes()


def metadata(**submitters):
    """submission_metadata.yml as Gradescope writes it (Ruby symbols: ':name')."""
    return "".join(f"{folder}:\n  :submitters:\n  - :name: {name}\n    :sid: '{sid}'\n    :email: x@example.ac.kr\n"
                   for folder, (name, sid) in submitters.items())


CLAIM = metadata(submission_1=("Victim", "999"), hw04=("Victim", "999"))  # whatever folder a zip may use


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def write_zip(path, files):
    path.write_bytes(zip_bytes(files))
    return path


def who(path):
    return [(s.student, s.student_id, s.stem) for s in collect([path])]


def test_an_otter_export_claiming_another_student_is_named_by_its_file(tmp_path):
    path = write_zip(tmp_path / "hw04_2026_11_27T10_00_00_000000.zip",
                     {"hw04.ipynb": SOLUTION, "submission_metadata.yml": CLAIM})
    assert who(path) == [("hw04_2026_11_27T10_00_00_000000", "", "hw04_2026_11_27T10_00_00_000000")]


def test_a_student_zip_laid_out_like_an_export_is_still_the_students(tmp_path):
    """The same claim with the notebook in a folder the metadata names, as a real export has it."""
    files = {"submission_1/hw04.ipynb": SOLUTION, "submission_metadata.yml": CLAIM}
    otter = write_zip(tmp_path / "hw04_2026_11_27T10_00_00_000000.zip", files)
    canvas = write_zip(tmp_path / "kim_123_456_hw04.zip", files)
    assert who(otter) == [("hw04_2026_11_27T10_00_00_000000", "", "hw04_2026_11_27T10_00_00_000000")]
    assert who(canvas) == [("kim", "123", "kim_123_456_hw04")]


def test_a_claim_inside_an_lms_download_is_ignored(tmp_path):
    inner = zip_bytes({"submission_1/hw04.ipynb": SOLUTION, "submission_metadata.yml": CLAIM})
    path = write_zip(tmp_path / "class.zip", {"lee_222_333_hw04.zip": inner})
    assert who(path) == [("lee", "222", "lee_222_333_hw04")]


def test_a_proper_gradescope_export_names_its_submitters(tmp_path):
    path = write_zip(tmp_path / "submissions.zip", {
        "assignment_1_export/submission_metadata.yml": metadata(submission_111=("Park Seoyeon", "2026001"),
                                                                submission_222=("Choi Minjun", "2026002")),
        "assignment_1_export/submission_111/hw04.ipynb": SOLUTION,
        "assignment_1_export/submission_222/hw04.ipynb": SOLUTION,
    })
    assert sorted(who(path)) == [("Choi Minjun", "2026002", "submission_222"),
                                 ("Park Seoyeon", "2026001", "submission_111")]


def test_metadata_inside_a_gradescope_export_cannot_rename_its_submitter(tmp_path):
    """A student's own zip uploaded to Gradescope, and a metadata file deeper in the submission
    folder: both stay the Gradescope submitter's."""
    student_zip = zip_bytes({"submission_1/hw04.ipynb": SOLUTION, "submission_metadata.yml": CLAIM})
    path = write_zip(tmp_path / "submissions.zip", {
        "assignment_1_export/submission_metadata.yml": metadata(submission_111=("Park Seoyeon", "2026001")),
        "assignment_1_export/submission_111/hw04_2026_11_27T10_00_00_000000.zip": student_zip,
        "assignment_1_export/submission_111/extra/submission_metadata.yml": CLAIM,
        "assignment_1_export/submission_111/extra/submission_1/hw04.ipynb": SOLUTION,
    })
    found = who(path)
    assert len(found) == 2 and {(s, i) for s, i, _ in found} == {("Park Seoyeon", "2026001")}


def test_metadata_not_at_the_top_of_the_export_is_not_believed(tmp_path):
    path = write_zip(tmp_path / "submissions.zip", {
        "assignment_1_export/submission_1/submission_metadata.yml": CLAIM,
        "assignment_1_export/submission_1/hw04.ipynb": SOLUTION,
    })
    assert [s for s, _, _ in who(path)] == ["submissions"]


def test_untrusted_metadata_never_crashes(tmp_path):
    """Unsafe tags, non-mappings, wrong shapes, aliases, deep nesting, huge numbers: no names, no crash."""
    bad = {
        "tag": "!!python/object/apply:os.system ['echo hacked']\n",
        "list": "- 1\n- 2\n",
        "shapes": "submission_1: 5\n",
        "submitters": "submission_1:\n  :submitters: [1, {':name': [1, 2]}, {':name': {'a': 1}}]\n",
        "deep": "[" * 100_000,
        "huge_sid": "submission_1:\n  :submitters:\n  - :name: Kim\n    :sid: 0x" + "f" * 20_000 + "\n",
        "aliases": "a: &a ['" + "x" * 1000 + "']\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nsubmission_1:\n  :submitters:\n"
                   + "  - :name: *c\n" * 1000,
    }
    for name, text in bad.items():
        path = write_zip(tmp_path / f"{name}.zip", {"x/submission_metadata.yml": text, "x/submission_1/hw04.ipynb": SOLUTION})
        [(student, sid, _)] = who(path)
        assert student in (name, "submission_1", "Kim") and len(student) < 100 and len(sid) < 100, (name, student)
