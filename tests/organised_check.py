"""Runs every notebook of tests/organised_corpus.py in a real Jupyter kernel and checks that it does the homework right.

Not a pytest module (it starts about forty kernels): run it by hand, `.venv/bin/python tests/organised_check.py [name ...]`.
It never runs the autograder. For each case it:
1. builds the notebook with organised_corpus.notebook(), validates it (also after a write/read round trip) and checks what
   the corpus promises to keep: the otter init cell and the given data cell verbatim, the export cell last, and the
   grader.check calls in the template's order;
2. executes a copy in a fresh temporary directory (tempfile.mkdtemp() as the kernel's cwd) with nbclient and the `python3`
   kernel, the otter init cell replaced by a stub `grader` whose check(q) records, at that point of the run, what question
   q grades (the template's names for methods 1-6, step3, step4 and the practice question; the two trained models and
   their optimizers at the places WHERE names for this case), and the export cell replaced by a no-op;
3. in the same kernel, after the notebook, computes the expected values with an independent float64 numpy loop from the
   notebook's own X, y, x (yhat, MSE, gradient, one SGD update, 100 epochs with and without zero_grad) and asserts that
   the recorded values match (the trained weights within atol 1e-3), and that each reachable optimizer is plain SGD with
   lr=0.1 over the model's parameters.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import organised_corpus as oc  # noqa: E402

ORDER = ["data", *(f"method{m}" for m in range(1, 7)), "step3", "step4", "loop", "homework", "sgd"]
TEMPLATE_STEP4 = {2: "optmz2", 3: "optmz3", 5: "optmz5", 6: "optmz6"}


@dataclass(frozen=True)
class Where:
    """Where a case's graded objects live, as expressions in the notebook's namespace at the question's check call."""

    loop: str  # the loop's trained nn.Linear(2, 1, bias=False)
    loop_opt: str | None  # its optimizer; None where it is gone (local to a function, or overwritten)
    homework: str
    homework_opt: str | None
    step4: dict = field(default_factory=lambda: dict(TEMPLATE_STEP4))  # method -> its step4 optimizer (None: gone)


def _same(model: str, opt: str | None) -> Where:
    return Where(model, opt, model, opt)


WHERE: dict[str, Where] = {
    "model_opt_criterion": _same("model", "opt"),
    "net_loop_net_hw": Where("net_loop", "optmz_loop", "net_hw", "optmz_hw"),
    "tutorial_optimizer_loss_fn": Where("model", "optimizer", "model_hw", "optimizer_hw"),
    "numbered_net7_net8": Where("net7", "optmz7", "net8", "optmz8"),
    "net1_reuses_lossfn": Where("net1", "optim1", "net_nozero", "optim_nozero"),
    "deepcopy_keeps_initial": Where("trained", "optmz", "trained_hw", "optmz_hw"),
    "mseloss_history_list": Where("reg", "sgd", "reg_hw", "sgd_hw"),
    "train_function_returns_net": Where("net_a", None, "net_b", None),
    "train_function_returns_tuple": Where("model_a", "opt_a", "model_b", "opt_b"),
    "make_net_function": Where("net_loop", "optmz", "net_hw", "optmz"),
    "step_function_per_epoch": Where("lin", "sgd", "lin2", "sgd2"),
    "fit_in_place": Where("net", None, "net_hw", None),
    "trainer_class": Where("trainer.model", "trainer.opt", "trainer_hw.model", "trainer_hw.opt"),
    "module_subclass": Where("reg.lin", "optmz", "reg_hw.lin", "optmz_hw"),
    "module_fits_itself": Where("m_loop.lin", "m_loop.optimizer", "m_hw.lin", "m_hw.optimizer"),
    "models_dict": Where("models['loop']", "optimizers['loop']", "models['homework']", "optimizers['homework']"),
    "models_list_merged": Where("nets[0]", None, "nets[1]", "optmz"),
    "results_dict_train": Where("results['loop']", None, "results['homework']", None),
    "sequential_template_names": _same("net[0]", "optmz"),
    "sequential_builder": Where("seq_loop[0]", "opt_loop", "seq_hw[0]", "opt_hw"),
    "sequential_ordered_dict": Where("model.linear", "optimizer", "model2.linear", "optimizer2"),
    "time_magic_template_loops": _same("net", "optmz"),
    "capture_named_log": Where("net_zg", "optmz_zg", "net_nzg", "optmz_nzg"),
    "capture_plain": Where("lr_model", "optim", "lr_model_hw", "optim_hw"),
    "timeit_once": Where("net_t", "optmz_t", "net_t2", "optmz_t2"),
    "writefile_scratch": Where("model_1", "sgd_1", "model_2", "sgd_2"),
    "line_magics": Where("net_loop", None, "net_hw", None),
    "split_cells": _same("net", "optmz"),
    "merged_loops_one_cell": Where("net_zg", "optmz_zg", "net_acc", "optmz_acc"),
    "merged_methods_one_cell": _same("net", "optmz"),
    "checks_at_cell_end": Where("model_loop", "opt_loop", "model_hw", "opt_hw"),
    "colab_gpu_runtime": Where("model", "optimizer", "model_hw", "optimizer_hw"),
    "colab_train_function": Where("net_with", None, "net_without", None),
    "vscode_saved": Where("model", "optimizer", "model_nz", "optimizer_nz"),
    "printed_epochs_outputs": Where("linreg", "optimizer", "linreg_hw", "optimizer_hw"),
    "step4_opt_names": Where("net", "optmz", "net", "optmz", {2: "opt2", 3: "opt3", 5: "opt5", 6: "opt6"}),
    "step4_one_opt_reused": Where("net", "optmz", "net", "optmz", {2: None, 3: None, 5: None, 6: "opt"}),
    "step4_optimizer_dict": Where("net", "optmz", "net", "optmz", {m: f"optimizers[{m}]" for m in TEMPLATE_STEP4}),
    "model_zero_grad": Where("model", "optimizer", "model_h", "optimizer_h"),
    "zero_grad_before_backward": Where("net_sgd", "optimizer", "net_sgd_hw", "optimizer_hw"),
    "grad_zero_inplace": Where("w_net", "w_opt", "w_net2", "w_opt2"),
}

# In place of the otter init cell. Every name it adds to the student's namespace starts with _oc_ (and `grader`).
STUB = '''\
# organised_check: stands in for the otter init cell; grader.check(q) records what q grades at this point of the run
import torch as _oc_torch

_OC_WHERE = {where}
_OC_CALLS, _OC_RECORD = [], {{}}


def _oc_list(t):
    return _oc_torch.as_tensor(t).detach().cpu().double().reshape(-1).tolist()


def _oc_sgd(expr, params):
    if expr is None:
        return None
    opt = eval(expr)
    groups = opt.param_groups
    keys = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")
    return {{"type": type(opt).__name__, "groups": len(groups), "settings": {{k: groups[0].get(k) for k in keys}},
            "owns": [any(p is q for g in groups for q in g["params"]) for p in params],
            "size": sum(len(g["params"]) for g in groups)}}


def _oc_model(expr, opt_expr):
    m = eval(expr)
    return {{"type": type(m).__name__, "in": getattr(m, "in_features", None), "out": getattr(m, "out_features", None),
            "bias": getattr(m, "bias", None) is not None, "weight": _oc_list(m.weight), "device": str(m.weight.device),
            "optimizer": _oc_sgd(opt_expr, list(m.parameters()))}}


def _oc_snapshot(q):
    g = globals()
    if q == "data":
        return {{"X": list(X.shape), "y": list(y.shape)}}
    if q.startswith("method"):
        m = q[-1]
        return {{"yhat": _oc_list(g["yhat" + m]), "yhat_shape": list(g["yhat" + m].shape), "loss": _oc_list(g["loss" + m]),
                "loss_tensor": isinstance(g["loss" + m], _oc_torch.Tensor)}}
    if q == "step3":
        return {{"What1": _oc_list(What1.grad), "net2": _oc_list(net2.weight.grad),
                "net3": _oc_list(net3.bias.grad) + _oc_list(net3.weight.grad), "What4": _oc_list(What4.grad),
                "net5": _oc_list(net5.weight.grad), "net6": _oc_list(net6.bias.grad) + _oc_list(net6.weight.grad)}}
    if q == "step4":
        return {{"lr": lr, "What1": _oc_list(What1), "net2": _oc_list(net2.weight),
                "net3": _oc_list(net3.bias) + _oc_list(net3.weight), "What4": _oc_list(What4), "net5": _oc_list(net5.weight),
                "net6": _oc_list(net6.bias) + _oc_list(net6.weight),
                "optimizers": {{m: _oc_sgd(e, list(g["net" + m].parameters())) for m, e in _OC_WHERE["step4"].items()}}}}
    if q in ("loop", "homework"):
        return _oc_model(_OC_WHERE[q], _OC_WHERE[q + "_opt"])
    if q == "sgd":
        return {{"grad_twice": _oc_list(grad_twice), "grad_after_zero": _oc_list(grad_after_zero)}}
    raise KeyError(q)


class _OcGrader:
    def check(self, q):
        _OC_CALLS.append(q)
        _OC_RECORD[q] = _oc_snapshot(q)


grader = _OcGrader()
'''

# Appended after the notebook, run in the same kernel: the expected values from the notebook's own data, and the asserts.
VERIFY = '''\
# organised_check: expected values by an independent float64 numpy loop, from this notebook's X, y, x
import json as _oc_json
import numpy as _oc_np

_oc_X = X.detach().double().numpy()
_oc_y = y.detach().double().numpy()
_oc_x = x.detach().double().numpy()
_oc_w0 = _oc_np.array([-5.0, 10.0])


def _oc_grad(w):
    return -2.0 / len(_oc_y) * _oc_X.T @ (_oc_y - _oc_X @ w)


def _oc_train(clear):
    w, acc = _oc_w0.copy(), _oc_np.zeros(2)
    for _ in range(100):
        g = _oc_grad(w)
        acc = g if clear else acc + g  # .grad: cleared every epoch, or accumulated
        w = w - 0.1 * acc
    return w


_oc_g = _oc_grad(_oc_w0)
_oc_expected = {{
    "yhat": -5.0 + 10.0 * _oc_x, "loss": _oc_np.mean((_oc_y - _oc_X @ _oc_w0) ** 2), "grad": _oc_g,
    "updated": _oc_w0 - 0.1 * _oc_g, "loop": _oc_train(True), "homework": _oc_train(False),
}}
_oc_failures = []


def _oc_close(what, got, want, rtol=1e-4, atol=1e-3):
    got, want = _oc_np.asarray(got, dtype=float), _oc_np.asarray(want, dtype=float).reshape(-1)
    if got.shape != want.shape or not _oc_np.allclose(got, want, rtol=rtol, atol=atol):
        _oc_failures.append(f"{{what}}: got {{got.tolist()[:4]}}, want {{want.tolist()[:4]}}")


def _oc_plain_sgd(what, opt):
    want = {{"lr": 0.1, "momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False, "maximize": False}}
    if opt["type"] != "SGD" or opt["settings"] != want or not all(opt["owns"]) or opt["size"] != len(opt["owns"]):
        _oc_failures.append(f"{{what}}: not plain SGD lr=0.1 over the model's parameters: {{opt}}")


if _OC_CALLS != {order}:
    _oc_failures.append(f"grader.check calls {{_OC_CALLS}}")
_oc_r = _OC_RECORD
if _oc_r.get("data") != {{"X": [100, 2], "y": [100]}}:
    _oc_failures.append(f"data {{_oc_r.get('data')}}")
for _oc_m in range(1, 7):
    _oc_q = _oc_r.get(f"method{{_oc_m}}")
    if _oc_q is None:
        continue
    _oc_close(f"yhat{{_oc_m}}", _oc_q["yhat"], _oc_expected["yhat"])
    _oc_close(f"loss{{_oc_m}}", _oc_q["loss"], _oc_expected["loss"])
    if _oc_q["yhat_shape"] != ([100] if _oc_m in (1, 4) else [100, 1]) or not _oc_q["loss_tensor"]:
        _oc_failures.append(f"method{{_oc_m}} shapes {{_oc_q['yhat_shape']}}")
for _oc_k in ("What1", "net2", "net3", "What4", "net5", "net6"):
    _oc_close(f"step3 {{_oc_k}}", _oc_r["step3"][_oc_k], _oc_expected["grad"])
    _oc_close(f"step4 {{_oc_k}}", _oc_r["step4"][_oc_k], _oc_expected["updated"])
if _oc_r["step4"]["lr"] != 0.1:
    _oc_failures.append(f"lr {{_oc_r['step4']['lr']}}")
for _oc_m, _oc_opt in _oc_r["step4"]["optimizers"].items():
    if _oc_opt is not None:
        _oc_plain_sgd(f"step4 optimizer of net{{_oc_m}}", _oc_opt)
for _oc_q in ("loop", "homework"):
    _oc_t = _oc_r[_oc_q]
    if (_oc_t["type"], _oc_t["in"], _oc_t["out"], _oc_t["bias"]) != ("Linear", 2, 1, False):
        _oc_failures.append(f"{{_oc_q}} model {{_oc_t}}")
    _oc_close(f"{{_oc_q}} final weights", _oc_t["weight"], _oc_expected[_oc_q], rtol=0, atol=1e-3)
    if _oc_t["optimizer"] is not None:
        _oc_plain_sgd(f"{{_oc_q}} optimizer", _oc_t["optimizer"])
_oc_close("grad_twice", _oc_r["sgd"]["grad_twice"], 2 * _oc_expected["grad"])
_oc_close("grad_after_zero", _oc_r["sgd"]["grad_after_zero"], [0.0, 0.0], atol=0)
print("ORGANISED-CHECK " + _oc_json.dumps({{
    "failures": _oc_failures, "loop": _oc_r["loop"]["weight"], "homework": _oc_r["homework"]["weight"],
    "expected_loop": _oc_expected["loop"].tolist(), "expected_homework": _oc_expected["homework"].tolist(),
    "device": _oc_r["loop"]["device"]}}))
assert not _oc_failures, _oc_failures
'''

EXPORT = "from autograder.engine.submit import export\nexport(grader)"
CHECK = re.compile(r'grader\.check\("(\w+)"\)')


def static_problems(case: oc.Organised, nb: nbformat.NotebookNode) -> list[str]:
    """What the corpus promises about the notebook's cells, before it runs."""
    problems = []
    nbformat.validate(nbformat.reads(nbformat.writes(nb), as_version=4))
    codes = [c.source for c in nb.cells if c.cell_type == "code"]
    if codes.count(oc.OTTER_INIT) != 1:
        problems.append("the otter init cell is not there exactly once, verbatim")
    if codes.count(oc.DATA_CELL) != 1:
        problems.append("the data cell is not there exactly once, verbatim")
    if not codes[-1].endswith(EXPORT) or sum(EXPORT in s for s in codes) != 1:
        problems.append("the export cell is not the last code cell")
    calls = [q for s in codes for q in CHECK.findall(s)]
    if calls != ORDER:
        problems.append(f"grader.check calls {calls}")
    if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", case.name):
        problems.append("name is not snake_case")
    if case.score != 60:
        problems.append(f"score {case.score}")
    return problems


def executable(nb: nbformat.NotebookNode, where: Where) -> nbformat.NotebookNode:
    """The copy that runs: otter init -> the recording stub, export -> a no-op, the verification cell appended."""
    run = copy.deepcopy(nb)
    wired = {"loop": where.loop, "loop_opt": where.loop_opt, "homework": where.homework, "homework_opt": where.homework_opt,
             "step4": {str(m): e for m, e in where.step4.items()}}
    for cell in run.cells:
        if cell.cell_type == "code" and cell.source == oc.OTTER_INIT:
            cell.source = STUB.format(where=repr(wired))
        elif cell.cell_type == "code" and cell.source.endswith(EXPORT):
            cell.source = "# export: not run here"
    verify = {"cell_type": "code", "metadata": {}, "source": VERIFY.format(order=repr(ORDER)), "outputs": [],
              "execution_count": None}
    if run.nbformat_minor >= 5:
        verify["id"] = "organised-check"
    run.cells.append(nbformat.from_dict(verify))
    return run


def run_case(name: str) -> dict:
    case = next(c for c in oc.CORRECT if c.name == name)
    started = time.monotonic()
    result = {"name": name, "problems": [], "seconds": 0.0}
    nb = oc.notebook(case)
    result["problems"] += static_problems(case, nb)
    cwd = tempfile.mkdtemp(prefix=f"organised-{name}-")
    run = executable(nb, WHERE[name])
    try:
        NotebookClient(run, kernel_name="python3", timeout=600, resources={"metadata": {"path": cwd}}).execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as error:
        if not run.cells[-1].outputs:  # a cell of the notebook itself raised
            result["problems"].append(f"raised: {str(error).strip().splitlines()[-1]}")
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    printed = "".join(o.get("text", "") for o in run.cells[-1].get("outputs", []) if o.output_type == "stream")
    report = next((json.loads(line.split(" ", 1)[1]) for line in printed.splitlines() if line.startswith("ORGANISED-CHECK ")), None)
    if report is None:
        result["problems"].append("the verification cell printed nothing")
    else:
        result["problems"] += report["failures"]
        result.update(loop=report["loop"], homework=report["homework"], expected_loop=report["expected_loop"],
                      expected_homework=report["expected_homework"], device=report["device"])
    result["seconds"] = time.monotonic() - started
    return result


def corpus_problems() -> list[str]:
    names = [c.name for c in oc.CORRECT]
    problems = []
    if len(names) < 34:
        problems.append(f"only {len(names)} cases")
    if len(set(names)) != len(names):
        problems.append("names are not unique")
    if set(names) != set(WHERE):
        problems.append(f"WHERE does not match the corpus: {sorted(set(names) ^ set(WHERE))}")
    gone = [n for n in names if WHERE[n].loop_opt is None]
    if len(gone) < 3:
        problems.append(f"only {len(gone)} cases where the loop's optimizer is gone")
    editors = {"colab": 0, "vscode": 0, "outputs": 0}
    for case in oc.CORRECT:
        editors["colab"] += "colab" in case.metadata
        editors["vscode"] += "vscode" in case.metadata
        editors["outputs"] += any(len(cell) > 2 for cell in case.cells) and not case.metadata.keys() & {"colab", "vscode"}
    problems += [f"no notebook saved by {k}" for k, v in editors.items() if not v]
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    names = argv or [c.name for c in oc.CORRECT]
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one torch thread per kernel: the kernels run side by side
    problems = corpus_problems()
    for p in problems:
        print("CORPUS:", p)
    width = max(map(len, names))
    failed = 0
    with ProcessPoolExecutor(max(1, min(4, os.cpu_count() or 1))) as pool:
        for r in pool.map(run_case, names):
            failed += bool(r["problems"])
            where = WHERE[r["name"]]
            opt = "opt gone" if where.loop_opt is None else f"opt {where.loop_opt}"
            if "loop" in r:
                got = f"loop {_fmt(r['loop'])} (want {_fmt(r['expected_loop'])})  homework {_fmt(r['homework'])} " \
                      f"(want {_fmt(r['expected_homework'])})  {r['device']}"
            else:
                got = "no result"
            print(f"{'FAIL' if r['problems'] else 'ok  '} {r['name']:<{width}}  {got}  [{opt}]  {r['seconds']:.1f}s")
            for p in r["problems"]:
                print(f"     - {p}")
    print(f"{len(names) - failed}/{len(names)} cases pass" + (f"; corpus problems: {len(problems)}" if problems else ""))
    return 1 if failed or problems else 0


def _fmt(w: list[float]) -> str:
    return "(" + ", ".join(f"{v:.4f}" for v in w) + ")"


if __name__ == "__main__":
    sys.exit(main())
