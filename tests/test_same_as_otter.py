"""On every honest submission, the batch grader gives the per-question scores `otter run` gives."""

import mutants
import nbformat
from conftest import EXAMPLES
from test_batch import result

from autograder.batch.grade import Options, grade
from autograder.spec.questions import QUESTIONS

# each gives another pattern of partial and carried-forward scores across the questions
MUTANTS = ["grad_accumulated", "data_mismatch", "wrong_bias"]  # the examples bring a loss variant, a loop, an update


def test_batch_scores_equal_otter_run(otter, examples_batch, tmp_path):
    corpus = tmp_path / "corpus"
    for name in MUTANTS:
        corpus.mkdir(exist_ok=True)
        nbformat.write(mutants.mutant(name), corpus / f"{name}.ipynb")
    out = tmp_path / "out"
    grade([str(corpus)], out, Options(jobs=1), log=lambda m: None)
    ours = {p.stem: result(out, p.stem) for p in corpus.glob("*.ipynb")}
    ours |= {p.stem: result(examples_batch, p.stem) for p in EXAMPLES.glob("*.ipynb")}
    notebooks = sorted(corpus.glob("*.ipynb")) + sorted(EXAMPLES.glob("*.ipynb"))
    assert len(notebooks) >= 10
    for nb, theirs in otter(notebooks).items():
        assert not isinstance(theirs, Exception), theirs
        assert ours[nb.stem]["status"] == "graded"
        scores = {q: ours[nb.stem]["questions"][q] for q in QUESTIONS}
        assert scores == {q: theirs["question_scores"][q] for q in QUESTIONS}, nb.name
