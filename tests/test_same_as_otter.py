"""On every honest submission, the batch grader gives the per-question scores `otter run` gives;
correct-but-different notebooks from the corpus get full marks on both paths."""

import mutants
import nbformat
import slips_corpus
from conftest import EXAMPLES
from test_batch import result

from autograder.batch.grade import Options, grade
from autograder.spec.questions import QUESTIONS, total_points

# each notebook gives other patterns of partial and carried-forward scores across the questions (the
# examples bring a loss variant, a loop, an update); two slips in different questions share one notebook
MUTANTS = {"data_mismatch": ["data_mismatch"], "grad_accumulated_and_wrong_bias": ["grad_accumulated", "wrong_bias"]}
# correct variants whose values cross the worker's protocol in other types (float64, nn.Parameter, a new
# leaf), each in another method: one notebook holds the three
CORRECT = {"three_types": ["float64_method1", "parameter_net2", "new_leaf_what4"]}


def test_batch_scores_equal_otter_run(otter, examples_batch, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, parts in MUTANTS.items():
        edits = tuple(edit for part in parts for edit in mutants.SUITE[part][0])
        nbformat.write(slips_corpus.notebook(slips_corpus.Case(name, "", edits)), corpus / f"{name}.ipynb")
    cases = {c.name: c for c in slips_corpus.CORRECT}
    for name, parts in CORRECT.items():
        edits = tuple(edit for part in parts for edit in cases[part].edits)
        nbformat.write(slips_corpus.notebook(slips_corpus.Case(name, "", edits)), corpus / f"{name}.ipynb")
    out = tmp_path / "out"
    grade([str(corpus)], out, Options(jobs=1, keep_workers=True), log=lambda m: None)
    ours = {p.stem: result(out, p.stem) for p in corpus.glob("*.ipynb")}
    ours |= {p.stem: result(examples_batch, p.stem) for p in EXAMPLES.glob("*.ipynb")}
    notebooks = sorted(corpus.glob("*.ipynb")) + sorted(EXAMPLES.glob("*.ipynb"))
    assert len(notebooks) == len(MUTANTS) + len(CORRECT) + 7
    for nb, theirs in otter(notebooks).items():
        assert not isinstance(theirs, Exception), theirs
        assert ours[nb.stem]["status"] == "graded"
        scores = {q: ours[nb.stem]["questions"][q] for q in QUESTIONS}
        assert scores == {q: theirs["question_scores"][q] for q in QUESTIONS}, nb.name
        if nb.stem == "grad_accumulated_and_wrong_bias":  # both slips cost points, each in its own questions
            assert len([q for q in QUESTIONS if scores[q] < QUESTIONS[q].points]) >= 2, scores
        if nb.stem in CORRECT:
            assert sum(scores.values()) == total_points() and not any(r["mistake"] for r in ours[nb.stem]["records"]), nb.name
