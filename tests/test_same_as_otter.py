"""Agreement with otter's own path, on honest submissions.

Plain otter (dist/autograder-plain.zip, built without our plugin) runs the notebook in a real
Jupyter kernel as otter does, and otter-assign's tests, the hidden ones too, in that kernel on the
live objects. It shares the check definitions with us (its tests call engine.checks), and nothing
else: not the worker, the sandbox, the snapshots and their protocol, the finding of objects by
their role, the two runs or the judge. On every honest notebook, each question's batch grade is
exactly plain otter's; correct notebooks get full marks. The Gradescope path (otter run with our
plugin) gives the batch's scores exactly too.
"""

import mutants
import nbformat
import pytest
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
CORRECT_EXAMPLES = {"solution"}


@pytest.fixture(scope="module")
def corpus_batch(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for name, parts in MUTANTS.items():
        edits = tuple(edit for part in parts for edit in mutants.SUITE[part][0])
        nbformat.write(slips_corpus.notebook(slips_corpus.Case(name, "", edits)), corpus / f"{name}.ipynb")
    cases = {c.name: c for c in slips_corpus.CORRECT}
    for name, parts in CORRECT.items():
        edits = tuple(edit for part in parts for edit in cases[part].edits)
        nbformat.write(slips_corpus.notebook(slips_corpus.Case(name, "", edits)), corpus / f"{name}.ipynb")
    out = tmp_path_factory.mktemp("out")
    grade([str(corpus)], out, Options(jobs=1, keep_workers=True), log=lambda m: None)
    return corpus, out


def ours(corpus_batch, examples_batch):
    corpus, out = corpus_batch
    found = {p: result(out, p.stem) for p in sorted(corpus.glob("*.ipynb"))}
    found |= {p: result(examples_batch, p.stem) for p in sorted(EXAMPLES.glob("*.ipynb"))}
    assert len(found) == len(MUTANTS) + len(CORRECT) + 7
    return found


def test_each_question_scores_what_plain_otter_gives_it(corpus_batch, examples_batch, plain_otter):
    mine = ours(corpus_batch, examples_batch)
    theirs_all = plain_otter(mine)
    partial = 0
    for nb, r in mine.items():
        theirs = theirs_all[nb]
        assert not isinstance(theirs, Exception), theirs
        assert r["status"] == "graded", nb.name
        scores = {q: r["questions"][q] for q in QUESTIONS}
        assert scores == {q: theirs["question_scores"][q] for q in QUESTIONS}, nb.name
        partial += 0 < sum(scores.values()) < total_points()
        if nb.stem in CORRECT or nb.stem in CORRECT_EXAMPLES:
            assert sum(scores.values()) == total_points() and not any(rec["mistake"] for rec in r["records"])
        if nb.stem == "grad_accumulated_and_wrong_bias":  # both slips cost points, each in its own questions
            assert len([q for q in QUESTIONS if scores[q] < QUESTIONS[q].points]) >= 2, scores
        if nb.stem == "blank":
            assert sum(scores.values()) == 0
    assert partial >= 5  # the slips: partial and carried-forward scores, not only all or nothing


def test_the_gradescope_path_gives_the_batchs_scores(examples_batch, otter):
    """otter run with our plugin (dist/autograder.zip) on the examples: the same per-question scores,
    carried credit included (both paths end in judge.assess's judge)."""
    notebooks = sorted(EXAMPLES.glob("*.ipynb"))
    for nb, theirs in otter(notebooks).items():
        assert not isinstance(theirs, Exception), theirs
        mine = result(examples_batch, nb.stem)
        assert {q: mine["questions"][q] for q in QUESTIONS} == {q: theirs["question_scores"][q] for q in QUESTIONS}, nb.name
