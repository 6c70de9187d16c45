"""Notebooks a red-team helper wrote against role-finding (engine/roles.py), the scaled MSE family and
the facts behind messages, each with what it tries and the outcome a fair grader gives it. The helper
wrote every expectation before grading; `FAIR` holds the fair totals taken from them (c08: IPython
keeps the names a `%%timeit` cell binds in its own scope, so the homework it trains is not a global in
Jupyter either). tests/test_roles.py grades them all in one sandboxed batch.
"""
# ruff: noqa
import re
import textwrap

import nbformat

from mutants import SOLUTION

SOL = str(SOLUTION)


def clean(src):
    out = []
    for line in src.splitlines():
        if line.strip() in ("# BEGIN SOLUTION", "# END SOLUTION"):
            continue
        out.append(re.sub(r"\s*# SOLUTION\s*$", "", line))
    return "\n".join(out)

def base():
    nb = nbformat.read(SOL, 4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.source = clean(c.source)
            c.outputs = []; c.execution_count = None
    return nb

def idx(nb, needle):
    hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and needle in c.source]
    assert len(hits) >= 1, needle
    return hits[0]

def setsrc(nb, needle, src):
    nb.cells[idx(nb, needle)].source = src

def insert_after(nb, needle, src):
    i = idx(nb, needle)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(src))



def loop_cells(nb):
    hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "for epoc in range(100)" in c.source]
    return hits[0], hits[1]

def code(s):
    return textwrap.dedent(s).strip("\n")

HEAD = code("""
net=torch.nn.Linear(in_features=2,out_features=1,bias=False)
net.weight.data = torch.tensor([[-5.0,10.0]])
mseloss = torch.nn.MSELoss()
""")

LOOP_BODY = code("""
for epoc in range(100):
    yhat = net(X)
    loss = mseloss(y.reshape(100,1),yhat)
    loss.backward()
    optmz.step()
    optmz.zero_grad()
""")

ATTACKS = []
def attack(name, what, expected):
    def deco(f):
        ATTACKS.append((name, what, expected, f)); return f
    return deco

# ---------------- A: unearned points
@attack("a01_lstsq_no_loop", "loop cell: no optimizer, no loop; weights set to torch.linalg.lstsq solution",
        "WEAK if loop 6/6 (optimizer 'unseen', value = least squares = converged loop); fair 0")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\nnet.weight.data = torch.linalg.lstsq(X, y.reshape(-1,1)).solution.T\nlist(net.parameters())"

@attack("a02_momentum_then_del", "loop with SGD(momentum=0.5) (optimizer_settings if seen), then `del optmz`",
        "WEAK if loop 6/6 (unseen skips plain_sgd); control a03 gets 0")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\noptmz = torch.optim.SGD(net.parameters(),lr=0.1,momentum=0.5)\n" + LOOP_BODY + "\ndel optmz\nlist(net.parameters())"

@attack("a03_momentum_visible", "control: same momentum loop, optmz kept",
        "loop 0, optimizer_settings")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\noptmz = torch.optim.SGD(net.parameters(),lr=0.1,momentum=0.5)\n" + LOOP_BODY + "\nlist(net.parameters())"

@attack("a04_underscore_optimizer", "global `_optmz = SGD(lr=0.1, momentum=0.5)`: names starting with _ are not walked",
        "WEAK if loop 6/6")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\n_optmz = torch.optim.SGD(net.parameters(),lr=0.1,momentum=0.5)\n" + LOOP_BODY.replace("optmz", "_optmz") + "\nlist(net.parameters())"

@attack("a05_wrong_lr_in_function", "loop in a function with a local SGD(lr=0.3) for 300 epochs (wrong_lr/epochs if seen)",
        "WEAK if loop 6/6 with the 'out of sight' note")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\n\n" + code("""
    def fit(model):
        opt = torch.optim.SGD(model.parameters(), lr=0.3)
        for epoc in range(300):
            loss = mseloss(y.reshape(100,1), model(X))
            loss.backward()
            opt.step()
            opt.zero_grad()
    fit(net)
    list(net.parameters())
    """)

@attack("a06_adam_in_function", "loop in a function with a local Adam(lr=0.05), 3000 epochs",
        "WEAK if loop 6/6 (if Adam converges to 1e-3)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = HEAD + "\n\n" + code("""
    def fit(model):
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for epoc in range(3000):
            loss = mseloss(y.reshape(100,1), model(X))
            loss.backward()
            opt.step()
            opt.zero_grad()
    fit(net)
    list(net.parameters())
    """)

@attack("a07_tiny_scaled_method1", "loss1 = 1e-9*MSE; What1.grad set to zeros by hand (no backward); no update of What1",
        "WEAK if What1.grad 2 + What1 2 carried (loss1 0, scaled_mse); fair: 0 for all three")
def _(nb):
    setsrc(nb, "loss1 = torch.mean", "What1 = torch.tensor([-5.0,10.0],requires_grad=True)\nyhat1 = X@What1\nloss1 = 1e-9*torch.mean((y-yhat1)**2)\nloss1")
    setsrc(nb, "loss1.backward()", "What1.grad = torch.zeros(2)\nWhat1.grad.data")
    setsrc(nb, "What1.data = What1.data - lr", "What1.data ## update 전\nlr=0.1\nWhat1")

@attack("a08_tiny_scaled_all", "every loss_k = 1e-9*MSE, every grad set to zeros by hand, no updates and no step-4 optimizers at all",
        "WEAK if step3 12 + step4 12 carried (vs 0 for the same notebook with honest losses, see a09)")
def _(nb):
    for k in (1, 2, 3, 4, 5, 6):
        c = nb.cells[idx(nb, f"loss{k} = ")]
        c.source = c.source.replace(f"loss{k} = ", f"loss{k} = 1e-9*")
    setsrc(nb, "loss1.backward()", "What1.grad = torch.zeros(2)")
    setsrc(nb, "loss2.backward()", "net2.weight.grad = torch.zeros(1,2)")
    setsrc(nb, "loss3.backward()", "net3.bias.grad = torch.zeros(1,1)\nnet3.weight.grad = torch.zeros(1,1)")
    setsrc(nb, "loss4.backward()", "What4.grad = torch.zeros(2)")
    setsrc(nb, "loss5.backward()", "net5.weight.grad = torch.zeros(1,2)")
    setsrc(nb, "loss6.backward()", "net6.bias.grad = torch.zeros(1,1)\nnet6.weight.grad = torch.zeros(1,1)")
    setsrc(nb, "What1.data = What1.data - lr", "lr=0.1\nWhat1")
    setsrc(nb, "What4.data = What4.data - lr", "What4")
    for k in (2, 3, 5, 6):
        setsrc(nb, f"optmz{k} = torch.optim.SGD", f"net{k}.weight.data")

@attack("a09_control_honest_zero", "control for a08: correct losses, same zero grads, no updates, no optimizers",
        "step3 0, step4 0 (maybe updates carried? no: grad wrong and not a slip)")
def _(nb):
    setsrc(nb, "loss1.backward()", "What1.grad = torch.zeros(2)")
    setsrc(nb, "loss2.backward()", "net2.weight.grad = torch.zeros(1,2)")
    setsrc(nb, "loss3.backward()", "net3.bias.grad = torch.zeros(1,1)\nnet3.weight.grad = torch.zeros(1,1)")
    setsrc(nb, "loss4.backward()", "What4.grad = torch.zeros(2)")
    setsrc(nb, "loss5.backward()", "net5.weight.grad = torch.zeros(1,2)")
    setsrc(nb, "loss6.backward()", "net6.bias.grad = torch.zeros(1,1)\nnet6.weight.grad = torch.zeros(1,1)")
    setsrc(nb, "What1.data = What1.data - lr", "lr=0.1\nWhat1")
    setsrc(nb, "What4.data = What4.data - lr", "What4")
    for k in (2, 3, 5, 6):
        setsrc(nb, f"optmz{k} = torch.optim.SGD", f"net{k}.weight.data")

@attack("a10_decoy_latest_model", "loop: renamed `model` trained with lr=0.01 (wrong, visible opt) + a later cell sets a fresh Linear `ls` to lstsq",
        "WEAK if loop 6/6 (decoy picked as 'latest changed', its optimizer unseen)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = code("""
    model = torch.nn.Linear(2,1,bias=False)
    model.weight.data = torch.tensor([[-5.0,10.0]])
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    mseloss = torch.nn.MSELoss()
    for epoc in range(100):
        loss = mseloss(y.reshape(100,1), model(X))
        loss.backward(); opt.step(); opt.zero_grad()
    ls = torch.nn.Linear(2,1,bias=False)
    ls.weight.data = torch.linalg.lstsq(X, y.reshape(-1,1)).solution.T
    list(model.parameters())
    """)


@attack("a10b_decoy_later_cell", "loop: renamed `model` trained with lr=0.01 (wrong, visible opt); the NEXT cell (before the check) sets a fresh Linear `ls` to lstsq",
        "WEAK if loop 6/6: the decoy is the latest changed model, its optimizer unseen")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = code("""
    model = torch.nn.Linear(2,1,bias=False)
    model.weight.data = torch.tensor([[-5.0,10.0]])
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    mseloss = torch.nn.MSELoss()
    for epoc in range(100):
        loss = mseloss(y.reshape(100,1), model(X))
        loss.backward(); opt.step(); opt.zero_grad()
    list(model.parameters())
    """)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code("""
    ls = torch.nn.Linear(2,1,bias=False)
    ls.weight.data = torch.linalg.lstsq(X, y.reshape(-1,1)).solution.T
    """)))

@attack("a11_step4_by_hand_no_optimizer", "step4 for nets 2,3,5,6 by hand (w -= 0.1*grad), no optmzN at all (prompt asks torch.optim.SGD)",
        "step4 12/12 with 'out of sight' note (values right; structure requirement skipped); a visible Adam would be wrong_optimizer")
def _(nb):
    setsrc(nb, "optmz2 = torch.optim.SGD", "net2.weight.data = net2.weight.data - 0.1*net2.weight.grad")
    setsrc(nb, "optmz3 = torch.optim.SGD", "net3.bias.data = net3.bias.data - 0.1*net3.bias.grad\nnet3.weight.data = net3.weight.data - 0.1*net3.weight.grad")
    setsrc(nb, "optmz5 = torch.optim.SGD", "net5.weight.data = net5.weight.data - 0.1*net5.weight.grad")
    setsrc(nb, "optmz6 = torch.optim.SGD", "net6.bias.data = net6.bias.data - 0.1*net6.bias.grad\nnet6.weight.data = net6.weight.data - 0.1*net6.weight.grad")

@attack("a12_c_near_one", "loss1 = 1.0005*MSE (outside 1e-4, inside the 1e-3 band where scaled_mse is not named)",
        "loss1 wrong_value (0); README says the gradient of an unrecognised loss earns none, expect What1.grad 'unchecked' 0 -- WEAK if carried 2+2")
def _(nb):
    c = nb.cells[idx(nb, "loss1 = torch.mean")]
    c.source = c.source.replace("loss1 = torch.mean", "loss1 = 1.0005*torch.mean")

@attack("c10_plot_then_nested", "student plots the data (fig, ax kept), then train() returns a dict; results['loop'] = train(True) (model at depth 2)",
        "WEAK if the walk's 4000-visit budget is spent in matplotlib objects and the loop/homework models are not found")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells.insert(idx(nb, 'grader.check("data")') + 1, nbformat.v4.new_code_cell(code("""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot(x, y, 'o', alpha=0.5)
    ax.plot(x, ytrue, '--')
    """)))
    i, j = loop_cells(nb)
    nb.cells[i].source = TRAIN_FN.replace("return net", "return {'net': net, 'opt': optmz, 'last_loss': loss.item()}") + "\n\nresults = {}\nresults['loop'] = train(True)\nresults['loop']['net'].weight"
    nb.cells[j].source = "results['homework'] = train(False)\nresults['homework']['net'].weight"

@attack("c11_homework_explore_renamed", "homework as `net_hw`; next cell (same part) explores 200 epochs without zero_grad on `net_hw200`, for the written question",
        "WEAK if homework 0 (latest changed accumulated model picked)")
def _(nb):
    _, j = loop_cells(nb)
    nb.cells[j].source = nb.cells[j].source.replace("net", "net_hw").replace("mseloss", "mseloss")
    nb.cells.insert(j + 1, nbformat.v4.new_code_cell(code("""
    # 서술형 답을 위해: 더 오래 돌리면? / for the written answer: what if it runs longer?
    net_hw200 = torch.nn.Linear(2,1,bias=False)
    net_hw200.weight.data = torch.tensor([[-5.0,10.0]])
    opt200 = torch.optim.SGD(net_hw200.parameters(), lr=0.1)
    for epoc in range(200):
        loss = mseloss(y.reshape(100,1), net_hw200(X))
        loss.backward(); opt200.step()
    net_hw.weight.data, net_hw200.weight.data
    """)))

# ---------------- B: robustness of the walk
@attack("b01_dict_property_hang", "after the last check: an object whose class makes __dict__ a property that never returns",
        "timeout for this submission only (run limit), no other row affected; points? (snapshots all taken before)")
def _(nb):
    nb.cells.insert(idx(nb, 'grader.check("sgd")') + 1, nbformat.v4.new_code_cell(code("""
    class Sly:
        @property
        def __dict__(self):
            while True:
                pass
    sly = Sly()
    """)))

@attack("b02_dict_property_systemexit", "right after the data check: __dict__ property raising SystemExit (BaseException escapes after_cell's except Exception)",
        "crashed, 0 (self-harm only)")
def _(nb):
    nb.cells.insert(idx(nb, 'grader.check("data")') + 1, nbformat.v4.new_code_cell(code("""
    class Sly:
        @property
        def __dict__(self):
            raise SystemExit
    sly = Sly()
    """)))

@attack("b03_int_key_module", "loop model is nn.Sequential whose _modules has an int key: walk raises in take() (not in try)",
        "crashed at the loop check (self-harm)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = nb.cells[i].source.replace("list(net.parameters())", "seq = torch.nn.Sequential()\nseq._modules[0] = net\nlist(net.parameters())")

@attack("b04_many_globals_same_object", "2,000,000 globals bound to one object: walk's queue.pop(0) over skipped (seen) entries is O(n^2) and not bounded by MAX_VISITS",
        "timeout of this run only")
def _(nb):
    nb.cells.insert(idx(nb, 'grader.check("data")') + 1, nbformat.v4.new_code_cell(
        "globals().update({f'v{i}': None for i in range(2_000_000)})"))

@attack("b05_setattr_getattr_cycle", "model inside self-referencing list/dict cycle and a __getattr__ object, loop correct",
        "60 (walk bounded; __getattr__ never called)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = nb.cells[i].source.replace("list(net.parameters())", code("""
    class Ghost:
        def __getattr__(self, k):
            raise SystemExit
    cyc = [net]; cyc.append(cyc); d = {'a': cyc}; d['self'] = d; g = Ghost()
    list(net.parameters())
    """))

# ---------------- C: correct notebooks organised differently
TRAIN_FN = code("""
def train(zero_grad):
    net = torch.nn.Linear(in_features=2,out_features=1,bias=False)
    net.weight.data = torch.tensor([[-5.0,10.0]])
    optmz = torch.optim.SGD(net.parameters(),lr=0.1)
    mseloss = torch.nn.MSELoss()
    for epoc in range(100):
        yhat = net(X)
        loss = mseloss(y.reshape(100,1),yhat)
        loss.backward()
        optmz.step()
        if zero_grad:
            optmz.zero_grad()
    return net
""")

@attack("c01_namedtuple_result", "train(zero_grad) returns a namedtuple Run(net, history); kept as run_loop / run_hw, no global net",
        "WEAK if loop/homework lose points (namedtuple has no __dict__, not walked); fair 60")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells[i].source = "from collections import namedtuple\nRun = namedtuple('Run', ['net', 'final_loss'])\n" + TRAIN_FN + "\n\nnet_ = train(True)\nrun_loop = Run(net_, 0.0)\ndel net_\nrun_loop.net.weight"
    nb.cells[i].source = "from collections import namedtuple\nRun = namedtuple('Run', ['net', 'final_loss'])\n" + TRAIN_FN.replace("return net", "return Run(net, loss.item())") + "\n\nrun_loop = train(True)\nrun_loop.net.weight"
    nb.cells[j].source = "run_hw = train(False)\nrun_hw.net.weight"

@attack("c02_bool_keyed_dict", "runs = {}; runs[True] = train(True) ... runs[False] = train(False) (keyed by the zero_grad flag)",
        "WEAK if loop/homework lose points (bool keys skipped: _TYPE(k) in (str,int))")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells[i].source = TRAIN_FN + "\n\nruns = {}\nruns[True] = train(zero_grad=True)\nruns[True].weight"
    nb.cells[j].source = "runs[False] = train(zero_grad=False)\nruns[False].weight"

@attack("c03_float_lr_keyed_dict", "models = {}; models[0.1] = train(True) (keyed by lr); homework as template",
        "WEAK if loop loses 6 (float keys skipped)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = TRAIN_FN + "\n\nmodels = {}\nfor lr in [0.1]:\n    models[lr] = train(zero_grad=True)\nmodels[0.1].weight"

@attack("c04_defaultdict", "results = defaultdict(dict); results['loop']['net'] = train(True); results['homework']['net'] = train(False)",
        "WEAK if loop/homework lose points (defaultdict not walked)")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells[i].source = "from collections import defaultdict\nresults = defaultdict(dict)\n" + TRAIN_FN + "\n\nresults['loop']['net'] = train(True)\nresults['loop']['net'].weight"
    nb.cells[j].source = "results['homework']['net'] = train(False)\nresults['homework']['net'].weight"

@attack("c05_renamed_then_experiment", "loop trained correctly as `model`/`opt`; next cell (same part) compares lr=0.01 on `model_slow`",
        "WEAK if loop 0 (latest changed model picked over the correct one); fair 6")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = code("""
    model = torch.nn.Linear(2,1,bias=False)
    model.weight.data = torch.tensor([[-5.0,10.0]])
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    mseloss = torch.nn.MSELoss()
    for epoc in range(100):
        loss = mseloss(y.reshape(100,1), model(X))
        loss.backward(); opt.step(); opt.zero_grad()
    list(model.parameters())
    """)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(code("""
    # 비교: 학습률을 0.01 로 줄이면? / compare: a smaller learning rate
    model_slow = torch.nn.Linear(2,1,bias=False)
    model_slow.weight.data = torch.tensor([[-5.0,10.0]])
    opt_slow = torch.optim.SGD(model_slow.parameters(), lr=0.01)
    for epoc in range(100):
        loss = mseloss(y.reshape(100,1), model_slow(X))
        loss.backward(); opt_slow.step(); opt_slow.zero_grad()
    model.weight.data, model_slow.weight.data
    """)))

@attack("c06_history_of_copies", "renamed `model`; keeps copy.deepcopy(model) every 10 epochs in `history` (defined before model)",
        "WEAK if loop 0 (an early copy picked: same cell index, first in walk order)")
def _(nb):
    i, _ = loop_cells(nb)
    nb.cells[i].source = code("""
    import copy
    history = []
    model = torch.nn.Linear(2,1,bias=False)
    model.weight.data = torch.tensor([[-5.0,10.0]])
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    mseloss = torch.nn.MSELoss()
    for epoc in range(100):
        if epoc % 10 == 0:
            history.append(copy.deepcopy(model))
        loss = mseloss(y.reshape(100,1), model(X))
        loss.backward(); opt.step(); opt.zero_grad()
    list(model.parameters())
    """)

@attack("c07_homework_reuses_net_and_optmz", "homework resets the same `net` to (-5,10) and reuses the same `optmz` object",
        "60")
def _(nb):
    _, j = loop_cells(nb)
    nb.cells[j].source = code("""
    net.weight.data = torch.tensor([[-5.0,10.0]])
    for epoc in range(100):
        yhat = net(X)
        loss = mseloss(y.reshape(100,1),yhat)
        loss.backward()
        optmz.step()
    list(net.parameters())
    """)

@attack("c08_timeit_assigns", "homework cell under %%timeit -n1 -r1 that (re)binds net/optmz: IPython keeps those local, the grader binds them globally",
        "grader 6/6 on homework although in Jupyter global `net` would still be the loop's model (fidelity mismatch, lenient)")
def _(nb):
    _, j = loop_cells(nb)
    nb.cells[j].source = "%%timeit -n1 -r1\n" + nb.cells[j].source.replace("list(net.parameters())", "")

@attack("c09_class_attribute_model", "models kept as class attributes of a config class: `class Runs: loop = ...; hw = ...` (types are not walked)",
        "WEAK if loop/homework lose points")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells[i].source = TRAIN_FN + "\n\nclass Runs:\n    loop = train(True)\nRuns.loop.weight"
    nb.cells[j].source = "Runs.homework = train(False)\nRuns.homework.weight"

# ---------------- E: messages vs code
@attack("e01_backward_in_method_cell", "method1 cell ends with loss1.backward(); step3 cell re-creates What1 'to be safe' then shows its grad",
        "What1.grad no_backward; message may claim 'your code has no loss1.backward()' though the notebook has it")
def _(nb):
    c = nb.cells[idx(nb, "loss1 = torch.mean")]
    c.source = c.source.replace("loss1\n", "loss1.backward()\nloss1\n") if "loss1\n" in c.source else c.source + "\nloss1.backward()"
    setsrc(nb, "loss1.backward()\nWhat1.grad.data", "What1 = torch.tensor([-5.0,10.0],requires_grad=True)\nWhat1.grad")

@attack("e02_loop_train_false", "loop calls train(False) of a helper whose zero_grad is guarded by a flag",
        "loop no_zero_grad; check the message's claims")
def _(nb):
    i, j = loop_cells(nb)
    nb.cells[i].source = TRAIN_FN + "\n\nnet = train(False)\nnet.weight"
    nb.cells[j].source = "net = train(False)\nnet.weight"


# name -> the fair total out of 60 (from the expectations written before grading)
FAIR = {
    "a01_lstsq_no_loop": 54, "a02_momentum_then_del": 54, "a03_momentum_visible": 54,
    "a04_underscore_optimizer": 54, "a05_wrong_lr_in_function": 54, "a06_adam_in_function": 54,
    "a07_tiny_scaled_method1": 54, "a08_tiny_scaled_all": 24, "a09_control_honest_zero": 36,
    "a10_decoy_latest_model": 54, "a10b_decoy_later_cell": 54, "a11_step4_by_hand_no_optimizer": 52,
    "a12_c_near_one": 54, "b01_dict_property_hang": 60, "b02_dict_property_systemexit": 60,
    "b03_int_key_module": 60, "b04_many_globals_same_object": 60, "b05_setattr_getattr_cycle": 60,
    "c01_namedtuple_result": 60, "c02_bool_keyed_dict": 60, "c03_float_lr_keyed_dict": 60, "c04_defaultdict": 60,
    "c05_renamed_then_experiment": 60, "c06_history_of_copies": 60, "c07_homework_reuses_net_and_optmz": 60,
    "c08_timeit_assigns": 54, "c09_class_attribute_model": 60, "c10_plot_then_nested": 60,
    "c11_homework_explore_renamed": 60, "e01_backward_in_method_cell": 56, "e02_loop_train_false": 54,
}


def notebooks() -> dict[str, nbformat.NotebookNode]:
    out = {}
    for name, _what, _expected, edit in ATTACKS:
        nb = base()
        edit(nb)
        out[name] = nb
    return out
