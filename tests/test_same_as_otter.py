"""On every honest submission, the batch grader gives the per-question scores `otter run` gives."""

from concurrent.futures import ThreadPoolExecutor

import mutants
import nbformat
from conftest import EXAMPLES
from test_batch import result

from autograder.batch.grade import Options, grade
from autograder.otter.baseline import otter_run
from autograder.spec.questions import QUESTIONS

MUTANTS = ["grad_accumulated", "sum_not_mean", "weights_not_set", "data_mismatch", "no_backward", "wrong_bias",
           "shape", "zero_grad_in_homework"]


def test_batch_scores_equal_otter_run(dist, tmp_path):
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
    with ThreadPoolExecutor(2) as pool:
        theirs = dict(zip(notebooks, pool.map(lambda nb: otter_run(nb, dist / "autograder.zip"), notebooks)))
    for nb, otter in theirs.items():
        ours = result(out, nb.stem)
        assert ours["status"] == "graded"
        assert {q: ours["questions"][q] for q in QUESTIONS} == {q: otter["question_scores"][q] for q in QUESTIONS}, nb.name
