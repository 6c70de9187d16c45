"""The graded objects are found by their role, cell magics run as Jupyter runs them, and what the
grader cannot run is said (engine/roles.py, run/execute.py). Graded as the batch grader does, in
this process's forks: these notebooks are our own."""

import contextlib
import io
import re

import mutants
import nbformat
from conftest import grade_in_process
from test_isolation import needs_bwrap

LOOP_CELL = "누적되는 기울기값 방지"


def _loop_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code" and LOOP_CELL in c.source)


def _graded(nb) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        records = grade_in_process(nb)
    return {(r.question, r.check, r.hidden): r for r in records}


def test_a_loop_model_under_another_name_in_a_container_is_found_and_its_optimizer_checked():
    nb = mutants.mutant("solution")
    cell = _loop_cell(nb)
    cell.source = cell.source.replace("net=torch.nn.Linear(in_features=2,out_features=1,bias=False)",
                                      "model = torch.nn.Sequential(torch.nn.Linear(2,1,bias=False))\nnet = None")
    cell.source = cell.source.replace("net.weight.data", "model[0].weight.data").replace("net.parameters()", "model.parameters()")
    cell.source = cell.source.replace("net(X)", "model(X)").replace("optmz", "opt")
    assert "model(X)" in cell.source and "opt.step()" in cell.source
    right = _graded(nb)[("loop", "net", True)]
    assert right.passed and right.points == 6, right.message
    # its optimizer is the one bound to its parameters: a wrong lr there is named, with that lr
    cell.source = cell.source.replace("opt = torch.optim.SGD(model.parameters(),lr=0.1)",
                                      "opt = torch.optim.SGD(model.parameters(),lr=0.05)")
    wrong = _graded(nb)[("loop", "net", True)]
    assert wrong.mistake == "wrong_lr" and "`opt`: lr=0.05" in wrong.message["en"], wrong.message


def test_a_loop_whose_cell_never_ran_is_not_graded_with_the_homeworks_model():
    nb = mutants.mutant("solution")
    cell = _loop_cell(nb)
    cell.source = cell.source.replace("lr=0.1)", "lr=0.1", 1)  # a SyntaxError: the cell never runs
    record = _graded(nb)[("loop", "net", True)]
    assert record.mistake == "cell_raised" and "SyntaxError" in record.message["en"], record.message


def test_observing_cell_magics_run_their_cell_and_others_are_said():
    nb = mutants.mutant("solution")
    cell = _loop_cell(nb)
    cell.source = "%%time\n" + cell.source
    assert _graded(nb)[("loop", "net", True)].passed
    cell.source = "%%capture out\n" + cell.source.removeprefix("%%time\n")
    assert _graded(nb)[("loop", "net", True)].passed
    # %%timeit runs its cell in a scope of its own, as IPython does: the model it makes is not a global
    # there either, but a model made before it and trained inside it is
    body = cell.source.removeprefix("%%capture out\n")
    cell.source = "%%timeit -n1 -r1\n" + body
    assert _graded(nb)[("loop", "net", True)].mistake == "missing"
    made, loop = body.split("for epoc", 1)
    cell.source = made + "\nprint('made')"
    nb.cells.insert(nb.cells.index(cell) + 1, nbformat.v4.new_code_cell("%%timeit -n1 -r1\nfor epoc" + loop))
    assert _graded(nb)[("loop", "net", True)].passed
    del nb.cells[nb.cells.index(cell) + 1]
    cell.source = "%%bash\n" + body
    record = _graded(nb)[("loop", "net", True)]
    assert record.mistake == "cell_skipped" and "%%bash" in record.message["en"], record.message
    cell.source = "%%timeit\n" + body  # many runs would train many times
    assert _graded(nb)[("loop", "net", True)].mistake == "cell_skipped"


def test_writefile_writes_only_inside_the_runs_folder(tmp_path, monkeypatch):
    from autograder.run.execute import run_cells

    monkeypatch.chdir(tmp_path)
    errors = []
    run_cells(["%%writefile helper.py\nx = 1\n", "%%writefile /etc/evil.py\nx = 1\n", "%%writefile ../up.py\nx = 1\n"],
              on_error=lambda i, e: errors.append((i, type(e).__name__)))
    assert (tmp_path / "helper.py").read_text() == "x = 1\n"
    assert errors == [(1, "Skipped"), (2, "Skipped")] and not (tmp_path.parent / "up.py").exists()


def test_step4_optimizers_under_other_names_are_found_by_the_parameters_they_hold():
    nb = mutants.mutant("solution")
    for c in nb.cells:
        if c.cell_type == "code":
            for m in (2, 3, 5, 6):
                c.source = c.source.replace(f"optmz{m}", f"opt_{m}")
    graded = _graded(nb)
    step4 = [r for (q, _, hidden), r in graded.items() if q == "step4" and hidden]
    assert step4 and all(r.passed for r in step4), [(r.check, r.message) for r in step4 if not r.passed]


def test_an_optimizer_holding_another_models_parameters_is_told_so():
    nb = mutants.mutant("solution")
    cell = next(c for c in nb.cells if c.cell_type == "code" and "optmz5 = " in c.source)
    cell.source = cell.source.replace("net5.parameters()", "net2.parameters()")
    record = _graded(nb)[("step4", "net5.weight", True)]
    assert record.mistake == "no_update" and "holds the parameters of `net2`" in record.message["en"], record.message


def test_the_kernels_check_finds_the_loop_model_by_its_role():
    """grader.check in the student's kernel: no cells, only what changed since the last check."""
    import torch

    from autograder.engine import in_kernel
    from autograder.spec.questions import QUESTIONS

    nb = mutants.mutant("solution")
    cell = _loop_cell(nb)
    cell.source = cell.source.replace("net", "my_model").replace("optmz", "my_opt")
    env: dict = {}
    in_kernel.SNAPSHOTS.clear()
    in_kernel._ROLES.clear()
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    upto = cells.index(cell.source)
    with contextlib.redirect_stdout(io.StringIO()):
        for source in cells[:upto + 1]:
            if "otter" in source or "grader.check" in source or "export" in source:
                for question in re.findall(r'grader.check\("(\w+)"\)', source):  # as each check cell does
                    for q in QUESTIONS[question].quantities:
                        in_kernel.run_check(question, q.path, env)
                continue
            exec(source, env)
    assert isinstance(env["my_model"], torch.nn.Linear)
    in_kernel.run_check("loop", "net", env)  # raises AssertionError with the feedback if it fails


@needs_bwrap
def test_the_red_teams_notebooks_get_their_fair_totals_in_a_sandboxed_batch(tmp_path):
    """tests/role_attacks.py: points gained without the work (an optimizer out of sight, a loss times
    1e-9, a decoy model), correct notebooks organised in ways the search once missed, and objects that
    attack the search itself. Untrusted: graded only in the sandboxed batch grader."""
    import json

    import role_attacks

    from autograder.batch.grade import Options, grade

    (tmp_path / "in").mkdir()
    built = role_attacks.notebooks()
    assert set(built) == set(role_attacks.FAIR)
    for name, nb in built.items():
        nbformat.write(nb, tmp_path / "in" / f"{name}.ipynb")
    grade([str(tmp_path / "in")], tmp_path / "out", Options(jobs=2, timeout=60), log=lambda m: None)
    got = {p.stem: json.loads(p.read_text())["score"] for p in (tmp_path / "out" / "results").glob("*.json")}
    unfair = {n: (got.get(n), fair) for n, fair in role_attacks.FAIR.items() if got.get(n) != fair}
    assert not unfair, unfair
