"""On every honest submission, the batch grader gives the per-question scores `otter run` gives."""

import mutants
import nbformat
from conftest import EXAMPLES
from test_batch import result

from autograder.batch.grade import Options, grade
from autograder.spec.questions import QUESTIONS

MUTANTS = ["grad_accumulated", "sum_not_mean", "weights_not_set", "data_mismatch", "no_backward", "wrong_bias",
           "shape", "zero_grad_in_homework"]


def test_batch_scores_equal_otter_run(otter, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in EXAMPLES.glob("*.ipynb"):
        (corpus / path.name).write_bytes(path.read_bytes())
    for name in MUTANTS:
        nbformat.write(mutants.mutant(name), corpus / f"{name}.ipynb")
    notebooks = sorted(corpus.glob("*.ipynb"))
    assert len(notebooks) >= 10
    out = tmp_path / "out"
    grade([str(corpus)], out, Options(jobs=2), log=lambda m: None)
    for nb, theirs in otter(notebooks).items():
        assert not isinstance(theirs, Exception), theirs
        ours = result(out, nb.stem)
        assert ours["status"] == "graded"
        assert {q: ours["questions"][q] for q in QUESTIONS} == {q: theirs["question_scores"][q] for q in QUESTIONS}, nb.name
