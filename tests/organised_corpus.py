"""A corpus of CORRECT hw04 submissions organised the way real students organise their work.

Every case does the whole homework correctly and must earn full marks, 60/60, from a fair TA. What
differs from the template is only where the work lives: the training loops under other names
(`model`/`opt`/`criterion`, `net_loop`/`net_hw`, `net7`, ...), inside functions (`def train(zero_grad=True)`
returning the model, or `(model, opt)`; a `make_net()`; a `step(...)` per epoch), in classes (a `Trainer`
holding `.model` and `.opt`; an `nn.Module` subclass with `self.lin = nn.Linear(2, 1, bias=False)`), in
containers (`models["loop"]`, a list, `nn.Sequential`), under cell magics (`%%time`, `%%capture`,
`%%timeit -n1 -r1`, `%%writefile`, `%time`, `%matplotlib inline`, `!nvidia-smi`), split over many cells or
merged into few, saved by Colab, VS Code or Jupyter with their outputs, and the step4 optimizers under
other names. A grader that finds the graded objects only by the template's names (`net`, `optmz`,
`mseloss`, `optmz2`, ...) misses them; these notebooks are reachable only by the role of each object.

What stays as in the template (and the grader may rely on): the otter init cell, the given data cell (the
grader reruns the notebook with a new seed, so nothing depends on the data's values), the graded names of
methods 1-6 and of step3/step4 (except the step4 optimizers in the cases that say so), the practice
question's names, every `grader.check("...")` call in the template's order (alone in its cell or at the end
of a code cell), and the final export cell. Each loop trains a `nn.Linear(2, 1, bias=False)` from weights
(-5, 10) for 100 epochs of plain SGD with lr=0.1 on X and y as a column with the MSE: the `loop` one clears
the gradient every epoch, the `homework` one never does. The `loop` check comes after the loop's training
and before the homework's, except in the cases that merge both loops into one cell (stories say so).
Where the loop's optimizer is local to a function and gone after it returns, the story says so: the
optimizer can then only be judged from the code (and from the weights it produced).

The expectations (60 each) were written by hand from the homework BEFORE any grader ran on these
notebooks. The notebooks were only executed, in a real Jupyter kernel with the otter and export cells
stubbed (tests/organised_check.py), to confirm that each one runs and trains what its story says: final
weights of both loops against an independent numpy loop, and every graded value of methods 1-6, step3,
step4 and the practice question. The autograder itself was not run on them.

Cells are ("code", source) / ("markdown", source) pairs, or ("code", source, outputs) where the editor
saved outputs: outputs is a tuple of ("stdout", text), ("stderr", text) or ("result", text/plain) items. The values
they show (losses, weights) are those of a run on the given data; the timings, the nvidia-smi table and the cuda:0
device of the Colab GPU case are illustrative, in those tools' formats (the check runs that case on the CPU).
"""

from __future__ import annotations

import copy
import hashlib
import textwrap
from dataclasses import dataclass, field

import nbformat
from mutants import SOLUTION, clean

__all__ = ["CORRECT", "Organised", "notebook"]


@dataclass(frozen=True)
class Organised:
    name: str  # snake_case, unique
    story: str  # how and why a student organised it this way
    cells: tuple  # ("code", source) / ("markdown", source) pairs, in order, the whole notebook (see the docstring)
    metadata: dict = field(default_factory=dict)  # notebook metadata as saved by the editor (default: Jupyter's)
    score: float = 60.0


# ---------------------------------------------------------------------------------------------------------------
# The template's cells, from the solved notebook with its solution markers removed. A case takes the sections
# it keeps as they are and writes out the ones the student organised differently.

_SOL = nbformat.read(SOLUTION, as_version=4)
_CELL = {c.id: (c.cell_type, clean(c.source) if c.cell_type == "code" else c.source) for c in _SOL.cells}


def _section(first: str, last: str) -> tuple:
    ids = [c.id for c in _SOL.cells]
    return tuple(_CELL[i] for i in ids[ids.index(first): ids.index(last) + 1])


TOP = _section("c32415c0", "bd49b9ed")  # title, otter init
DATA = _section("3257884a", "4b9a0bb4")  # prompt, the given data cell, check
METHODS = _section("b9c012a7", "d411bc1a")  # methods 1-6: prompt, code, check each
STEP3 = _section("d2b24d47", "2fabf797")
STEP4 = _section("dab66371", "bc232c0a")
LOOP = _section("8ac218e4", "b5b80b71")  # prompt, training cell, check
HOMEWORK = _section("812a57af", "3f2a3157")
WRITTEN = _section("cba1fee1", "3195e83c")  # the written question and its answer
SGD = _section("e0898301", "6aaa5c3c")  # the practice question
SUBMIT = _section("344406d5", "8e5687cb")  # prompt, export cell
_ALL = TOP + DATA + METHODS + STEP3 + STEP4 + LOOP + HOMEWORK + WRITTEN + SGD + SUBMIT
assert [c[1] for c in _ALL] == [_CELL[c.id][1] for c in _SOL.cells], "the solution's sections changed"

OTTER_INIT = TOP[1][1]
DATA_CELL = DATA[1][1]
LOOP_MD, LOOP_CODE = LOOP[0], LOOP[1][1]
HOMEWORK_MD, HOMEWORK_CODE = HOMEWORK[0], HOMEWORK[1][1]
STEP4_MD = STEP4[0]
METHOD = {m: METHODS[3 * (m - 1) + 1][1] for m in range(1, 7)}  # the code cell of method m
UPDATE = {m: STEP4[m][1] for m in range(1, 7)}  # the step4 cell of method m


def code(source: str, *outputs: tuple) -> tuple:
    """A code cell; outputs (("stdout", text), ("result", text), ...) where the editor saved them."""
    source = textwrap.dedent(source).strip("\n")
    return ("code", source, outputs) if outputs else ("code", source)


def md(source: str) -> tuple:
    return ("markdown", textwrap.dedent(source).strip("\n"))


def check(question: str) -> tuple:
    return ("code", f'grader.check("{question}")')


def solved(*, top=TOP, data=DATA, methods=METHODS, step3=STEP3, step4=STEP4, loop=LOOP, homework=HOMEWORK,
           written=WRITTEN, sgd=SGD, submit=SUBMIT) -> tuple:
    """The whole solved notebook, with the sections a case organised its own way."""
    return (*top, *data, *methods, *step3, *step4, *loop, *homework, *written, *sgd, *submit)


def with_outputs(cell: tuple, *outputs: tuple) -> tuple:
    """A template cell as saved with its outputs."""
    return (*cell[:2], outputs)


def step4_renamed(names: dict[int, str]) -> tuple:
    """Step4 with the SGD optimizer of method m named names[m] instead of optmz{m}."""
    cells = list(STEP4)
    for m, name in names.items():
        cells[m] = ("code", UPDATE[m].replace(f"optmz{m}", name))
    return tuple(cells)


def methods_in_one_cell() -> tuple:
    """Methods 1-6 typed into the first method cell; the other five code cells deleted, the prompts and checks kept."""
    merged = "\n\n".join(METHOD[m] for m in range(1, 7))
    cells = []
    for cell in METHODS:
        if cell[1] == METHOD[1]:
            cells.append(("code", merged))
        elif cell[1] not in METHOD.values():
            cells.append(cell)
    return tuple(cells)


def checks_at_cell_end(cells: tuple) -> tuple:
    """Each grader.check cell typed at the end of the code cell above it instead of in a cell of its own (not the data
    check: the given data cell is not edited)."""
    out: list = []
    for cell in cells:
        if cell[0] == "code" and cell[1].startswith("grader.check(") and out and out[-1][0] == "code" and out[-1][1] != DATA_CELL:
            out[-1] = ("code", out[-1][1] + "\n" + cell[1])
        else:
            out.append(cell)
    return tuple(out)


# Editors' notebook metadata.
JUPYTER = dict(_SOL.metadata)  # the template as Jupyter saves it
JUPYTERLAB_RUN = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
                      "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3", "version": "3.11.9"},
    "otter": {"assignment_name": "hw04"},
}
COLAB_GPU = {
    "colab": {"provenance": [], "gpuType": "T4"},
    "kernelspec": {"name": "python3", "display_name": "Python 3"},
    "language_info": {"name": "python"},
    "accelerator": "GPU",
}
COLAB_CPU = {
    "colab": {"provenance": [], "toc_visible": True},
    "kernelspec": {"name": "python3", "display_name": "Python 3"},
    "language_info": {"name": "python"},
}
VSCODE = {
    "kernelspec": {"display_name": ".venv", "language": "python", "name": "python3"},
    "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py", "mimetype": "text/x-python",
                      "name": "python", "nbconvert_exporter": "python", "pygments_lexer": "ipython3", "version": "3.11.9"},
    "otter": {"assignment_name": "hw04"},
    "vscode": {"interpreter": {"hash": "3f0e5a2c1b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"}},
}

# Saved outputs: values from a run on the given data (seed 202150754); timings and the GPU table illustrative.
NVIDIA_SMI = ("stdout", """\
Tue Mar 18 05:12:44 2025
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |
|                                         |                        |               MIG M. |
|=========================================+========================+======================|
|   0  Tesla T4                       Off |   00000000:00:04.0 Off |                    0 |
| N/A   44C    P8              9W /   70W |       0MiB /  15360MiB |      0%      Default |
|                                         |                        |                  N/A |
+-----------------------------------------+------------------------+----------------------+
""")
LOSS_OUT = ("result", "tensor(110.0313, grad_fn=<MeanBackward0>)")
LOOP_WEIGHT = "Parameter containing:\ntensor([[2.5306, 3.9915]], requires_grad=True)"
HOMEWORK_WEIGHT = "Parameter containing:\ntensor([[-1.6055,  9.7606]], requires_grad=True)"


# ---------------------------------------------------------------------------------------------------------------
# 1. Other names for the loop objects

_MODEL_OPT_CRITERION = solved(
    loop=(LOOP_MD, code("""
        model = torch.nn.Linear(in_features=2, out_features=1, bias=False)  ## 모형정의
        model.weight.data = torch.tensor([[-5.0, 10.0]])  ## 초기값 고정
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = torch.nn.MSELoss()
        for epoch in range(100):
            yhat = model(X)
            loss = criterion(yhat, y.reshape(100, 1))
            loss.backward()
            opt.step()
            opt.zero_grad()
        list(model.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model = torch.nn.Linear(in_features=2, out_features=1, bias=False)  ## 모형정의
        model.weight.data = torch.tensor([[-5.0, 10.0]])  ## 초기값 고정
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = torch.nn.MSELoss()
        for epoch in range(100):
            yhat = model(X)
            loss = criterion(yhat, y.reshape(100, 1))
            loss.backward()
            opt.step()
        list(model.parameters())
        """), check("homework")),
)

_NET_LOOP_NET_HW = solved(
    loop=(LOOP_MD, code("""
        net_loop = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        net_loop.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_loop = torch.optim.SGD(net_loop.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = net_loop(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_loop.step()
            optmz_loop.zero_grad()
        list(net_loop.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        # 위의 net_loop 과 비교하려고 이름을 따로 둠
        net_hw = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        net_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_hw = torch.optim.SGD(net_hw.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = net_hw(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_hw.step()
        list(net_hw.parameters())
        """), check("homework"), code("""
        # zero_grad 가 있을 때 / 없을 때
        print("with zero_grad   :", net_loop.weight.data)
        print("without zero_grad:", net_hw.weight.data)
        """)),
)

_TUTORIAL_NAMES = solved(
    loop=(LOOP_MD, code("""
        from torch import nn

        model = nn.Linear(2, 1, bias=False)
        model.weight.data = torch.tensor([[-5.0, 10.0]])
        loss_fn = nn.MSELoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

        for t in range(100):
            pred = model(X)
            loss = loss_fn(pred, y.reshape(-1, 1))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        model.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_hw = nn.Linear(2, 1, bias=False)
        model_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer_hw = torch.optim.SGD(model_hw.parameters(), lr=0.1)

        for t in range(100):
            pred = model_hw(X)
            loss = loss_fn(pred, y.reshape(-1, 1))
            loss.backward()
            optimizer_hw.step()
        model_hw.weight
        """), check("homework")),
)

_NET7_NET8 = solved(
    loop=(LOOP_MD, code("""
        # 방법1~6 다음이니까 7번
        net7 = torch.nn.Linear(in_features=2,out_features=1,bias=False)
        net7.weight.data = torch.tensor([[-5.0,10.0]])
        optmz7 = torch.optim.SGD(net7.parameters(),lr=0.1)
        loss7fn = torch.nn.MSELoss()
        for epoc in range(100):
            yhat7 = net7(X)
            loss7 = loss7fn(y.reshape(100,1),yhat7)
            loss7.backward()
            optmz7.step()
            optmz7.zero_grad()
        net7.weight.data
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net8 = torch.nn.Linear(in_features=2,out_features=1,bias=False)
        net8.weight.data = torch.tensor([[-5.0,10.0]])
        optmz8 = torch.optim.SGD(net8.parameters(),lr=0.1)
        loss8fn = torch.nn.MSELoss()
        for epoc in range(100):
            yhat8 = net8(X)
            loss8 = loss8fn(y.reshape(100,1),yhat8)
            loss8.backward()
            optmz8.step()
        net8.weight.data
        """), check("homework")),
)

_NET1_LOSSFN = solved(
    loop=(LOOP_MD, code("""
        net1 = torch.nn.Linear(2, 1, bias=False)
        net1.weight.data = torch.tensor([[-5.0, 10.0]])
        optim1 = torch.optim.SGD(net1.parameters(), lr=0.1)
        # 손실함수는 방법4에서 만든 lossfn (MSELoss) 를 그대로 씀
        for epoc in range(100):
            loss = lossfn(y.reshape(100, 1), net1(X))
            loss.backward()
            optim1.step()
            optim1.zero_grad()
        net1.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_nozero = torch.nn.Linear(2, 1, bias=False)
        net_nozero.weight.data = torch.tensor([[-5.0, 10.0]])
        optim_nozero = torch.optim.SGD(net_nozero.parameters(), lr=0.1)
        for epoc in range(100):
            loss = lossfn(y.reshape(100, 1), net_nozero(X))
            loss.backward()
            optim_nozero.step()
        net_nozero.weight
        """), check("homework")),
)

_DEEPCOPY = solved(
    loop=(LOOP_MD, code("""
        import copy

        net=torch.nn.Linear(in_features=2,out_features=1,bias=False) ## 모형정의
        net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights
        # 학습 전 모형(net)은 그대로 두고 복사본을 학습시켜서 전/후를 비교
        trained = copy.deepcopy(net)
        optmz = torch.optim.SGD(trained.parameters(),lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = trained(X)
            loss = mseloss(y.reshape(100,1),yhat)
            loss.backward()
            optmz.step()
            optmz.zero_grad()
        net.weight.data, trained.weight.data  # 학습 전, 학습 후
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        trained_hw = copy.deepcopy(net)  # 같은 초기값 (-5, 10) 에서 시작
        optmz_hw = torch.optim.SGD(trained_hw.parameters(),lr=0.1)
        for epoc in range(100):
            yhat = trained_hw(X)
            loss = mseloss(y.reshape(100,1),yhat)
            loss.backward()
            optmz_hw.step()
        net.weight.data, trained_hw.weight.data
        """), check("homework")),
)

_MSELOSS_HISTORY = solved(
    loop=(LOOP_MD, code("""
        reg = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        reg.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd = torch.optim.SGD(reg.parameters(), lr=0.1)
        mse = torch.nn.MSELoss()
        mseloss = []  # epoch 마다의 MSE 기록
        for epoc in range(100):
            loss = mse(reg(X), y.reshape(100, 1))
            loss.backward()
            sgd.step()
            sgd.zero_grad()
            mseloss.append(loss.item())
        mseloss[0], mseloss[-1], reg.weight.data
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        reg_hw = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        reg_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd_hw = torch.optim.SGD(reg_hw.parameters(), lr=0.1)
        mseloss_hw = []
        for epoc in range(100):
            loss = mse(reg_hw(X), y.reshape(100, 1))
            loss.backward()
            sgd_hw.step()
            mseloss_hw.append(loss.item())
        mseloss_hw[-5:], reg_hw.weight.data  # loss 가 줄지 않고 출렁임
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 2. Functions

_TRAIN_FUNCTION = solved(
    loop=(LOOP_MD, code("""
        def train(zero_grad=True):
            net = torch.nn.Linear(in_features=2, out_features=1, bias=False)  ## 모형정의
            net.weight.data = torch.tensor([[-5.0, 10.0]])  ## 초기값 고정
            optmz = torch.optim.SGD(net.parameters(), lr=0.1)
            mseloss = torch.nn.MSELoss()
            for epoc in range(100):
                yhat = net(X)
                loss = mseloss(y.reshape(100, 1), yhat)
                loss.backward()
                optmz.step()
                if zero_grad:
                    optmz.zero_grad()
            return net

        net_a = train()
        net_a.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_b = train(False)  # zero_grad 없이
        net_b.weight
        """), check("homework")),
)

_TRAIN_RETURNS_TUPLE = solved(
    loop=(LOOP_MD, code("""
        def train(clear_grad=True):
            '''(-5, 10) 에서 시작해서 100 epoch 학습한 (모형, 옵티마이저)'''
            model = torch.nn.Linear(2, 1, bias=False)
            model.weight.data = torch.tensor([[-5.0, 10.0]])
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            loss_fn = torch.nn.MSELoss()
            for epoch in range(100):
                loss = loss_fn(model(X), y.reshape(100, 1))
                loss.backward()
                opt.step()
                if clear_grad:
                    opt.zero_grad()
            return model, opt
        """), code("""
        model_a, opt_a = train()
        model_a.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_b, opt_b = train(clear_grad=False)
        model_b.weight
        """), check("homework")),
)

_MAKE_NET = solved(
    loop=(LOOP_MD, code("""
        def make_net():
            '''초기값 (-5, 10) 으로 고정한 Linear(2 -> 1), bias 없음'''
            net = torch.nn.Linear(in_features=2, out_features=1, bias=False)
            net.weight.data = torch.tensor([[-5.0, 10.0]])
            return net
        """), code("""
        net_loop = make_net()
        optmz = torch.optim.SGD(net_loop.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = net_loop(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz.step()
            optmz.zero_grad()
        list(net_loop.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_hw = make_net()
        optmz = torch.optim.SGD(net_hw.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = net_hw(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz.step()
        list(net_hw.parameters())
        """), check("homework")),
)

_STEP_FUNCTION = solved(
    loop=(LOOP_MD, code("""
        mseloss = torch.nn.MSELoss()

        def step(model, optimizer, clear=True):
            '''step1~4 를 한 번: yhat -> loss -> backward -> update'''
            yhat = model(X)                           # step1
            loss = mseloss(y.reshape(100, 1), yhat)   # step2
            loss.backward()                           # step3
            optimizer.step()                          # step4
            if clear:
                optimizer.zero_grad()
            return loss.item()
        """), code("""
        lin = torch.nn.Linear(2, 1, bias=False)
        lin.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd = torch.optim.SGD(lin.parameters(), lr=0.1)
        for epoc in range(100):
            step(lin, sgd)
        lin.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        lin2 = torch.nn.Linear(2, 1, bias=False)
        lin2.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd2 = torch.optim.SGD(lin2.parameters(), lr=0.1)
        for epoc in range(100):
            step(lin2, sgd2, clear=False)
        lin2.weight
        """), check("homework")),
)

_FIT_IN_PLACE = solved(
    loop=(LOOP_MD, code("""
        def fit(model, epochs=100, lr=0.1, zero_grad=True):
            '''model 을 그 자리에서 학습시키고 loss 기록을 돌려준다'''
            opt = torch.optim.SGD(model.parameters(), lr=lr)
            loss_fn = torch.nn.MSELoss()
            losses = []
            for _ in range(epochs):
                loss = loss_fn(model(X), y.reshape(-1, 1))
                loss.backward()
                opt.step()
                if zero_grad:
                    opt.zero_grad()
                losses.append(loss.item())
            return losses
        """), code("""
        net=torch.nn.Linear(in_features=2,out_features=1,bias=False) ## 모형정의
        net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights
        losses = fit(net)
        losses[-1], list(net.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_hw = torch.nn.Linear(in_features=2,out_features=1,bias=False)
        net_hw.weight.data = torch.tensor([[-5.0,10.0]])
        losses_hw = fit(net_hw, zero_grad=False)
        losses_hw[-1], list(net_hw.parameters())
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 3. Classes and containers

_TRAINER = solved(
    loop=(LOOP_MD, code("""
        class Trainer:
            '''모형, 옵티마이저, 손실함수를 한 곳에 묶어 둔다'''

            def __init__(self, zero_grad=True):
                self.model = torch.nn.Linear(2, 1, bias=False)
                self.model.weight.data = torch.tensor([[-5.0, 10.0]])
                self.opt = torch.optim.SGD(self.model.parameters(), lr=0.1)
                self.loss_fn = torch.nn.MSELoss()
                self.zero_grad = zero_grad

            def fit(self, epochs=100):
                for epoch in range(epochs):
                    yhat = self.model(X)
                    loss = self.loss_fn(yhat, y.reshape(100, 1))
                    loss.backward()
                    self.opt.step()
                    if self.zero_grad:
                        self.opt.zero_grad()
                return self
        """), code("""
        trainer = Trainer().fit()
        trainer.model.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        trainer_hw = Trainer(zero_grad=False).fit()
        trainer_hw.model.weight
        """), check("homework")),
)

_MODULE_SUBCLASS = solved(
    loop=(LOOP_MD, code("""
        class LinearRegression(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = torch.nn.Linear(2, 1, bias=False)

            def forward(self, X):
                return self.lin(X)
        """), code("""
        reg = LinearRegression()
        reg.lin.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz = torch.optim.SGD(reg.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = reg(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz.step()
            optmz.zero_grad()
        list(reg.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        reg_hw = LinearRegression()
        reg_hw.lin.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_hw = torch.optim.SGD(reg_hw.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = reg_hw(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_hw.step()
        list(reg_hw.parameters())
        """), check("homework")),
)

_MODULE_FITS_ITSELF = solved(
    loop=(LOOP_MD, code("""
        class Regression(torch.nn.Module):
            '''y = w0 + w1*x 를 Linear(2, 1, bias=False) 로: 입력은 X = [1, x]'''

            def __init__(self, w0=-5.0, w1=10.0, lr=0.1):
                super().__init__()
                self.lin = torch.nn.Linear(2, 1, bias=False)
                self.lin.weight.data = torch.tensor([[w0, w1]])
                self.optimizer = torch.optim.SGD(self.parameters(), lr=lr)
                self.loss_fn = torch.nn.MSELoss()

            def forward(self, X):
                return self.lin(X)

            def train_loop(self, X, y, epochs=100, zero_grad=True):
                for _ in range(epochs):
                    loss = self.loss_fn(self(X), y)
                    loss.backward()
                    self.optimizer.step()
                    if zero_grad:
                        self.optimizer.zero_grad()
                return loss.item()
        """), code("""
        m_loop = Regression()
        m_loop.train_loop(X, y.reshape(100, 1))
        m_loop.lin.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        m_hw = Regression()
        m_hw.train_loop(X, y.reshape(100, 1), zero_grad=False)
        m_hw.lin.weight
        """), check("homework")),
)

_MODELS_DICT = solved(
    loop=(LOOP_MD, code("""
        models, optimizers = {}, {}
        loss_fn = torch.nn.MSELoss()
        """), code("""
        models["loop"] = torch.nn.Linear(2, 1, bias=False)
        models["loop"].weight.data = torch.tensor([[-5.0, 10.0]])
        optimizers["loop"] = torch.optim.SGD(models["loop"].parameters(), lr=0.1)
        for epoc in range(100):
            loss = loss_fn(models["loop"](X), y.reshape(100, 1))
            loss.backward()
            optimizers["loop"].step()
            optimizers["loop"].zero_grad()
        models["loop"].weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        models["homework"] = torch.nn.Linear(2, 1, bias=False)
        models["homework"].weight.data = torch.tensor([[-5.0, 10.0]])
        optimizers["homework"] = torch.optim.SGD(models["homework"].parameters(), lr=0.1)
        for epoc in range(100):
            loss = loss_fn(models["homework"](X), y.reshape(100, 1))
            loss.backward()
            optimizers["homework"].step()
        {k: m.weight.data for k, m in models.items()}
        """), check("homework")),
)

_MODELS_LIST_MERGED = solved(
    loop=(LOOP_MD, HOMEWORK_MD, code("""
        nets = []
        for clear in [True, False]:  # True: step1~4 반복, False: 숙제 (zero_grad 없이)
            net = torch.nn.Linear(in_features=2, out_features=1, bias=False)
            net.weight.data = torch.tensor([[-5.0, 10.0]])
            optmz = torch.optim.SGD(net.parameters(), lr=0.1)
            mseloss = torch.nn.MSELoss()
            for epoc in range(100):
                yhat = net(X)
                loss = mseloss(y.reshape(100, 1), yhat)
                loss.backward()
                optmz.step()
                if clear:
                    optmz.zero_grad()
            nets.append(net)
        nets
        """), check("loop")),
    homework=(check("homework"),),
)

_RESULTS_DICT = solved(
    loop=(LOOP_MD, code("""
        def train(lr=0.1, epochs=100, zero_grad=True):
            net = torch.nn.Linear(2, 1, bias=False)
            net.weight.data = torch.tensor([[-5.0, 10.0]])
            optmz = torch.optim.SGD(net.parameters(), lr=lr)
            mseloss = torch.nn.MSELoss()
            for epoc in range(epochs):
                loss = mseloss(y.reshape(100, 1), net(X))
                loss.backward()
                optmz.step()
                if zero_grad:
                    optmz.zero_grad()
            return net

        results = {}
        results["loop"] = train()
        results["loop"].weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        results["homework"] = train(zero_grad=False)
        results["homework"].weight
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 4. nn.Sequential

_SEQUENTIAL = solved(
    loop=(LOOP_MD, code("""
        net = torch.nn.Sequential(torch.nn.Linear(in_features=2,out_features=1,bias=False)) ## 모형정의
        net[0].weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정
        optmz = torch.optim.SGD(net.parameters(),lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = net(X)
            loss = mseloss(y.reshape(100,1),yhat)
            loss.backward()
            optmz.step()
            optmz.zero_grad()
        list(net.parameters())
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net = torch.nn.Sequential(torch.nn.Linear(in_features=2,out_features=1,bias=False)) ## 모형정의
        net[0].weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정
        optmz = torch.optim.SGD(net.parameters(),lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = net(X)
            loss = mseloss(y.reshape(100,1),yhat)
            loss.backward()
            optmz.step()
        list(net.parameters())
        """), check("homework")),
)

_SEQUENTIAL_BUILDER = solved(
    loop=(LOOP_MD, code("""
        def build():
            model = torch.nn.Sequential(torch.nn.Linear(2, 1, bias=False))
            with torch.no_grad():
                model[0].weight.copy_(torch.tensor([[-5.0, 10.0]]))
            return model
        """), code("""
        seq_loop = build()
        opt_loop = torch.optim.SGD(seq_loop.parameters(), lr=0.1)
        loss_fn = torch.nn.MSELoss()
        for epoch in range(100):
            loss = loss_fn(seq_loop(X), y.reshape(100, 1))
            loss.backward()
            opt_loop.step()
            opt_loop.zero_grad()
        seq_loop[0].weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        seq_hw = build()
        opt_hw = torch.optim.SGD(seq_hw.parameters(), lr=0.1)
        for epoch in range(100):
            loss = loss_fn(seq_hw(X), y.reshape(100, 1))
            loss.backward()
            opt_hw.step()
        seq_hw[0].weight
        """), check("homework")),
)

_SEQUENTIAL_ORDERED_DICT = solved(
    loop=(LOOP_MD, code("""
        from collections import OrderedDict

        model = torch.nn.Sequential(OrderedDict([("linear", torch.nn.Linear(2, 1, bias=False))]))
        model.linear.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = torch.nn.MSELoss()
        for epoch in range(100):
            output = model(X)
            loss = criterion(output, y.reshape(100, 1))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        model
        """), code("model.linear.weight"), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model2 = torch.nn.Sequential(OrderedDict([("linear", torch.nn.Linear(2, 1, bias=False))]))
        model2.linear.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer2 = torch.optim.SGD(model2.parameters(), lr=0.1)
        for epoch in range(100):
            output = model2(X)
            loss = criterion(output, y.reshape(100, 1))
            loss.backward()
            optimizer2.step()
        model2.linear.weight
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 5. Cell and line magics

_TIME_MAGIC = solved(
    loop=(LOOP_MD, code("%%time\n" + LOOP_CODE), check("loop")),
    homework=(HOMEWORK_MD, code("%%time\n" + HOMEWORK_CODE), check("homework")),
)

_CAPTURE_NAMED = solved(
    loop=(LOOP_MD, code("""
        %%capture train_log
        net_zg = torch.nn.Linear(2, 1, bias=False)
        net_zg.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_zg = torch.optim.SGD(net_zg.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = net_zg(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_zg.step()
            optmz_zg.zero_grad()
            print(f"epoch {epoc+1:3d}: loss {loss.item():.4f}")
        """), code("""
        print(train_log.stdout.splitlines()[-1])  # 출력이 길어서 마지막 줄만
        net_zg.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        %%capture train_log_hw
        net_nzg = torch.nn.Linear(2, 1, bias=False)
        net_nzg.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_nzg = torch.optim.SGD(net_nzg.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = net_nzg(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_nzg.step()
            print(f"epoch {epoc+1:3d}: loss {loss.item():.4f}")
        """), code("""
        print("\\n".join(train_log_hw.stdout.splitlines()[-3:]))
        net_nzg.weight
        """), check("homework")),
)

_CAPTURE_PLAIN = solved(
    loop=(LOOP_MD, code("""
        %%capture
        # 학습 과정 출력이 너무 길어서 숨김
        lr_model = torch.nn.Linear(2, 1, bias=False)
        lr_model.weight.data = torch.tensor([[-5.0, 10.0]])
        optim = torch.optim.SGD(lr_model.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), lr_model(X))
            loss.backward()
            optim.step()
            optim.zero_grad()
            print(epoc, loss.item(), lr_model.weight.data)
        """), code("lr_model.weight"), check("loop")),
    homework=(HOMEWORK_MD, code("""
        %%capture
        lr_model_hw = torch.nn.Linear(2, 1, bias=False)
        lr_model_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        optim_hw = torch.optim.SGD(lr_model_hw.parameters(), lr=0.1)
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), lr_model_hw(X))
            loss.backward()
            optim_hw.step()
            print(epoc, loss.item(), lr_model_hw.weight.data)
        """), code("lr_model_hw.weight"), check("homework")),
)

_TIMEIT_ONCE = solved(
    loop=(LOOP_MD, code("""
        net_t = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        net_t.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_t = torch.optim.SGD(net_t.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        """), code("""
        %%timeit -n1 -r1
        # 100 epoch 학습이 얼마나 걸리는지 (-n1 -r1: 딱 한 번만 실행)
        for epoc in range(100):
            yhat = net_t(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_t.step()
            optmz_t.zero_grad()
        """), code("net_t.weight"), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_t2 = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        net_t2.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_t2 = torch.optim.SGD(net_t2.parameters(), lr=0.1)
        """), code("""
        %%timeit -n1 -r1
        for epoc in range(100):
            yhat = net_t2(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz_t2.step()
        """), code("net_t2.weight"), check("homework")),
)

_WRITEFILE = solved(
    loop=(LOOP_MD, code("""
        %%writefile scratch_file.py
        # 다음 주 숙제에서 import 해서 쓰려고 저장해 둠 (이 노트북에서는 쓰지 않음)
        import torch


        def train(X, y, zero_grad=True, epochs=100, lr=0.1):
            net = torch.nn.Linear(2, 1, bias=False)
            net.weight.data = torch.tensor([[-5.0, 10.0]])
            optmz = torch.optim.SGD(net.parameters(), lr=lr)
            mseloss = torch.nn.MSELoss()
            for epoc in range(epochs):
                loss = mseloss(y.reshape(-1, 1), net(X))
                loss.backward()
                optmz.step()
                if zero_grad:
                    optmz.zero_grad()
            return net
        """), code("""
        model_1 = torch.nn.Linear(2, 1, bias=False)
        model_1.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd_1 = torch.optim.SGD(model_1.parameters(), lr=0.1)
        loss_fn = torch.nn.MSELoss()
        for epoc in range(100):
            loss = loss_fn(model_1(X), y.reshape(100, 1))
            loss.backward()
            sgd_1.step()
            sgd_1.zero_grad()
        model_1.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_2 = torch.nn.Linear(2, 1, bias=False)
        model_2.weight.data = torch.tensor([[-5.0, 10.0]])
        sgd_2 = torch.optim.SGD(model_2.parameters(), lr=0.1)
        for epoc in range(100):
            loss = loss_fn(model_2(X), y.reshape(100, 1))
            loss.backward()
            sgd_2.step()
        model_2.weight
        """), check("homework")),
)

_LINE_MAGICS = solved(
    top=(*TOP, code("""
        %matplotlib inline
        import matplotlib.pyplot as plt
        """), code("!pip list | head -1")),
    loop=(LOOP_MD, code("""
        def train(zero_grad=True):
            net = torch.nn.Linear(2, 1, bias=False)
            net.weight.data = torch.tensor([[-5.0, 10.0]])
            optmz = torch.optim.SGD(net.parameters(), lr=0.1)
            mseloss = torch.nn.MSELoss()
            history = []
            for epoc in range(100):
                loss = mseloss(y.reshape(100, 1), net(X))
                loss.backward()
                optmz.step()
                if zero_grad:
                    optmz.zero_grad()
                history.append(loss.item())
            return net, history
        """), code("""
        %time net_loop, hist_loop = train(zero_grad=True)
        plt.plot(hist_loop); plt.yscale("log"); plt.title("with zero_grad")
        net_loop.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        %time net_hw, hist_hw = train(zero_grad=False)
        plt.plot(hist_loop, label="zero_grad")
        plt.plot(hist_hw, label="no zero_grad")
        plt.legend()
        net_hw.weight
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 6. Cells split and merged

_SPLIT = solved(
    loop=(LOOP_MD,
          code("net=torch.nn.Linear(in_features=2,out_features=1,bias=False) ## 모형정의"),
          code("net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights"),
          code("optmz = torch.optim.SGD(net.parameters(),lr=0.1)"),
          code("mseloss = torch.nn.MSELoss()"),
          code("""
              for epoc in range(100):
                  # step1: yhat
                  yhat = net(X)
                  # step2: loss
                  loss = mseloss(y.reshape(100,1),yhat)
                  # step3: derivation
                  loss.backward()
                  # step4: update
                  optmz.step()
                  optmz.zero_grad()
              """),
          code("list(net.parameters())"),
          check("loop")),
    homework=(HOMEWORK_MD,
              code("net=torch.nn.Linear(in_features=2,out_features=1,bias=False) ## 모형정의"),
              code("net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights"),
              code("optmz = torch.optim.SGD(net.parameters(),lr=0.1)"),
              code("""
                  for epoc in range(100):
                      yhat = net(X)
                      loss = mseloss(y.reshape(100,1),yhat)
                      loss.backward()
                      optmz.step()
                  """),
              code("list(net.parameters())"),
              check("homework")),
)

_MERGED_LOOPS = solved(
    loop=(LOOP_MD, HOMEWORK_MD, code("""
        # 두 가지를 한 셀에서: zero_grad 있음 (net_zg) / 없음 (net_acc)
        mseloss = torch.nn.MSELoss()

        net_zg = torch.nn.Linear(2, 1, bias=False)
        net_zg.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_zg = torch.optim.SGD(net_zg.parameters(), lr=0.1)
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), net_zg(X))
            loss.backward()
            optmz_zg.step()
            optmz_zg.zero_grad()

        net_acc = torch.nn.Linear(2, 1, bias=False)
        net_acc.weight.data = torch.tensor([[-5.0, 10.0]])
        optmz_acc = torch.optim.SGD(net_acc.parameters(), lr=0.1)
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), net_acc(X))
            loss.backward()
            optmz_acc.step()

        net_zg.weight.data, net_acc.weight.data
        """), check("loop")),
    homework=(check("homework"),),
)

_MERGED_METHODS = solved(
    methods=methods_in_one_cell(),
    step3=(STEP3[0], code("""
        loss1.backward()
        loss2.backward()
        loss3.backward()
        loss4.backward()
        loss5.backward()
        loss6.backward()
        What1.grad, net2.weight.grad, (net3.bias.grad, net3.weight.grad), What4.grad, net5.weight.grad, (net6.bias.grad, net6.weight.grad)
        """), STEP3[-1]),
    step4=(STEP4_MD, code("""
        lr=0.1 # learning rate
        What1.data = What1.data - lr*What1.grad.data
        What4.data = What4.data - lr*What4.grad.data
        optmz2 = torch.optim.SGD(net2.parameters(),lr=0.1)
        optmz3 = torch.optim.SGD(net3.parameters(),lr=0.1)
        optmz5 = torch.optim.SGD(net5.parameters(),lr=0.1)
        optmz6 = torch.optim.SGD(net6.parameters(),lr=0.1)
        optmz2.step()
        optmz3.step()
        optmz5.step()
        optmz6.step()
        What1, net2.weight.data, (net3.bias.data, net3.weight.data), What4, net5.weight.data, (net6.bias.data, net6.weight.data)
        """), STEP4[-1]),
)

_CHECKS_AT_END = checks_at_cell_end(solved(
    loop=(LOOP_MD, code("""
        model_loop = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        model_loop.weight.data = torch.tensor([[-5.0, 10.0]])
        opt_loop = torch.optim.SGD(model_loop.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), model_loop(X))
            loss.backward()
            opt_loop.step()
            opt_loop.zero_grad()
        print(model_loop.weight.data)
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_hw = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        model_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        opt_hw = torch.optim.SGD(model_hw.parameters(), lr=0.1)
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), model_hw(X))
            loss.backward()
            opt_hw.step()
        print(model_hw.weight.data)
        """), check("homework")),
))

# ---------------------------------------------------------------------------------------------------------------
# 7. Saved by an editor: Colab, VS Code, JupyterLab with outputs

_COLAB_GPU = solved(
    top=(*TOP, code("!nvidia-smi", NVIDIA_SMI)),
    methods=(METHODS[0], with_outputs(METHODS[1], LOSS_OUT), *METHODS[2:]),
    loop=(LOOP_MD, code("""
        device = "cuda" if torch.cuda.is_available() else "cpu"  # Colab 런타임: T4 GPU
        Xd, yd = X.to(device), y.reshape(100, 1).to(device)
        device
        """, ("result", "'cuda'")), code("""
        %%time
        model = torch.nn.Linear(2, 1, bias=False).to(device)
        model.weight.data = torch.tensor([[-5.0, 10.0]], device=device)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.MSELoss()
        for epoch in range(100):
            yhat = model(Xd)
            loss = loss_fn(yhat, yd)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        model.weight
        """, ("stdout", "CPU times: user 188 ms, sys: 9.87 ms, total: 198 ms\nWall time: 311 ms\n"),
                 ("result", "Parameter containing:\ntensor([[2.5306, 3.9915]], device='cuda:0', requires_grad=True)")),
          check("loop")),
    homework=(HOMEWORK_MD, code("""
        %%time
        model_hw = torch.nn.Linear(2, 1, bias=False).to(device)
        model_hw.weight.data = torch.tensor([[-5.0, 10.0]], device=device)
        optimizer_hw = torch.optim.SGD(model_hw.parameters(), lr=0.1)
        for epoch in range(100):
            loss = loss_fn(model_hw(Xd), yd)
            loss.backward()
            optimizer_hw.step()
        model_hw.weight
        """, ("stdout", "CPU times: user 41.2 ms, sys: 0 ns, total: 41.2 ms\nWall time: 43.5 ms\n"),
                 ("result", "Parameter containing:\ntensor([[-1.6055,  9.7606]], device='cuda:0', requires_grad=True)")),
              check("homework")),
)

_COLAB_TRAIN_FUNCTION = solved(
    methods=(METHODS[0], with_outputs(METHODS[1], LOSS_OUT), *METHODS[2:]),
    loop=(LOOP_MD, code("""
        def train(use_zero_grad):
          net = torch.nn.Linear(in_features=2, out_features=1, bias=False)
          net.weight.data = torch.tensor([[-5.0, 10.0]])
          optmz = torch.optim.SGD(net.parameters(), lr=0.1)
          mseloss = torch.nn.MSELoss()
          for epoc in range(100):
            yhat = net(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optmz.step()
            if use_zero_grad:
              optmz.zero_grad()
          return net
        """), code("""
        net_with = train(use_zero_grad=True)
        net_with.weight
        """, ("result", LOOP_WEIGHT)), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_without = train(use_zero_grad=False)
        net_without.weight
        """, ("result", HOMEWORK_WEIGHT)), check("homework")),
)

_VSCODE = solved(
    methods=(METHODS[0], with_outputs(METHODS[1], LOSS_OUT), *METHODS[2:]),
    loop=(LOOP_MD, code("""
        model = torch.nn.Linear(2, 1, bias=False)
        model.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = torch.nn.MSELoss()

        for epoch in range(100):
            yhat = model(X)
            loss = loss_fn(yhat, y.reshape(100, 1))
            optimizer.zero_grad()  # backward 전에 비우기 (튜토리얼 순서)
            loss.backward()
            optimizer.step()
        model.weight
        """, ("result", LOOP_WEIGHT)), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_nz = torch.nn.Linear(2, 1, bias=False)
        model_nz.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer_nz = torch.optim.SGD(model_nz.parameters(), lr=0.1)

        for epoch in range(100):
            yhat = model_nz(X)
            loss = loss_fn(yhat, y.reshape(100, 1))
            loss.backward()
            optimizer_nz.step()
        model_nz.weight
        """, ("result", HOMEWORK_WEIGHT)), check("homework")),
)

_PRINTED_EPOCHS = solved(
    methods=(METHODS[0], with_outputs(METHODS[1], LOSS_OUT), *METHODS[2:]),
    loop=(LOOP_MD, code("""
        linreg = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        linreg.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer = torch.optim.SGD(linreg.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = linreg(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if epoc % 10 == 0:
                print(epoc, round(loss.item(), 4), linreg.weight.data)
        list(linreg.parameters())
        """, ("stdout", """\
0 110.0313 tensor([[-3.2696,  8.5142]])
10 0.7463 tensor([[2.0782, 4.2246]])
20 0.2416 tensor([[2.4891, 3.9957]])
30 0.2387 tensor([[2.5259, 3.9899]])
40 0.2386 tensor([[2.5299, 3.9911]])
50 0.2386 tensor([[2.5305, 3.9915]])
60 0.2386 tensor([[2.5306, 3.9915]])
70 0.2386 tensor([[2.5306, 3.9915]])
80 0.2386 tensor([[2.5306, 3.9915]])
90 0.2386 tensor([[2.5306, 3.9915]])
"""), ("result", "[Parameter containing:\n tensor([[2.5306, 3.9915]], requires_grad=True)]")), check("loop")),
    homework=(HOMEWORK_MD, code("""
        linreg_hw = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        linreg_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer_hw = torch.optim.SGD(linreg_hw.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = linreg_hw(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer_hw.step()
            if epoc % 10 == 0:
                print(epoc, round(loss.item(), 4), linreg_hw.weight.data)
        list(linreg_hw.parameters())
        """, ("stdout", """\
0 110.0313 tensor([[-3.2696,  8.5142]])
10 23.0099 tensor([[-3.0951,  9.7167]])
20 71.624 tensor([[5.9191, 1.8219]])
30 70.0165 tensor([[ 8.5684, -3.6476]])
40 25.35 tensor([[2.9464, 4.2164]])
50 107.8362 tensor([[-3.8562, 11.2051]])
60 1.3637 tensor([[-1.2039,  6.1608]])
70 114.0285 tensor([[ 8.6437, -1.0263]])
80 15.1965 tensor([[ 7.9065, -1.2020]])
90 81.7246 tensor([[-1.5037,  6.6530]])
"""), ("result", "[Parameter containing:\n tensor([[-1.6055,  9.7606]], requires_grad=True)]")), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------
# 8. Step4 optimizers under other names; other ways to clear the gradient

_STEP4_OPT_NAMES = solved(step4=step4_renamed({2: "opt2", 3: "opt3", 5: "opt5", 6: "opt6"}))

_STEP4_ONE_OPT = solved(step4=step4_renamed({2: "opt", 3: "opt", 5: "opt", 6: "opt"}))

_STEP4_OPT_DICT = solved(step4=(
    STEP4_MD,
    code("""
        # 옵티마이저는 한 번에 만들어 둠 (방법 번호 -> SGD)
        optimizers = {m: torch.optim.SGD(model.parameters(), lr=0.1)
                      for m, model in [(2, net2), (3, net3), (5, net5), (6, net6)]}
        """),
    STEP4[1],
    code("""
        net2.weight.data ## update 전
        optimizers[2].step()
        net2.weight.data ## update 후
        """),
    code("""
        net3.bias.data,net3.weight.data ## update 전
        optimizers[3].step()
        net3.bias.data,net3.weight.data ## update 후
        """),
    STEP4[4],
    code("""
        net5.weight.data ## update 전
        optimizers[5].step()
        net5.weight.data ## update 후
        """),
    code("""
        net6.bias.data,net6.weight.data ## update 전
        optimizers[6].step()
        net6.bias.data,net6.weight.data ## update 후
        """),
    STEP4[-1],
))

_MODEL_ZERO_GRAD = solved(
    loop=(LOOP_MD, code("""
        model = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        model.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            yhat = model(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer.step()
            model.zero_grad()  # 모형의 기울기를 직접 지움
        model.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        model_h = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        model_h.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer_h = torch.optim.SGD(model_h.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = model_h(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer_h.step()
        model_h.weight
        """), check("homework")),
)

_ZERO_GRAD_BEFORE_BACKWARD = solved(
    loop=(LOOP_MD, code("""
        net_sgd = torch.nn.Linear(2, 1, bias=False)
        net_sgd.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer = torch.optim.SGD(net_sgd.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            optimizer.zero_grad()  # 이전 epoch 의 기울기 지우고 시작
            yhat = net_sgd(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer.step()
        net_sgd.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        net_sgd_hw = torch.nn.Linear(2, 1, bias=False)
        net_sgd_hw.weight.data = torch.tensor([[-5.0, 10.0]])
        optimizer_hw = torch.optim.SGD(net_sgd_hw.parameters(), lr=0.1)
        for epoc in range(100):
            yhat = net_sgd_hw(X)
            loss = mseloss(y.reshape(100, 1), yhat)
            loss.backward()
            optimizer_hw.step()
        net_sgd_hw.weight
        """), check("homework")),
)

_GRAD_ZERO_INPLACE = solved(
    loop=(LOOP_MD, code("""
        w_net = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        w_net.weight.data = torch.tensor([[-5.0, 10.0]])
        w_opt = torch.optim.SGD(w_net.parameters(), lr=0.1)
        mseloss = torch.nn.MSELoss()
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), w_net(X))
            loss.backward()
            w_opt.step()
            w_net.weight.grad.zero_()  # 기울기를 0 으로 (zero_grad 와 같은 일)
        w_net.weight
        """), check("loop")),
    homework=(HOMEWORK_MD, code("""
        w_net2 = torch.nn.Linear(in_features=2, out_features=1, bias=False)
        w_net2.weight.data = torch.tensor([[-5.0, 10.0]])
        w_opt2 = torch.optim.SGD(w_net2.parameters(), lr=0.1)
        for epoc in range(100):
            loss = mseloss(y.reshape(100, 1), w_net2(X))
            loss.backward()
            w_opt2.step()
        w_net2.weight
        """), check("homework")),
)

# ---------------------------------------------------------------------------------------------------------------

CORRECT: list[Organised] = [
    # ---- 1. other names for the loop objects
    Organised("model_opt_criterion",
              "Learned PyTorch from its official tutorials, where the trio is model / opt / criterion, and renamed net, optmz and "
              "mseloss in both training cells; the homework cell reuses the same names, so `model` is the homework model at the end.",
              _MODEL_OPT_CRITERION),
    Organised("net_loop_net_hw",
              "Gave the two models their own names (net_loop / net_hw, optmz_loop / optmz_hw) so that both stay alive, and added a "
              "cell after the homework check printing the two weights side by side; mseloss is the template's.",
              _NET_LOOP_NET_HW),
    Organised("tutorial_optimizer_loss_fn",
              "Copied the shape of the 'Optimizing Model Parameters' tutorial: `from torch import nn`, model / loss_fn / optimizer, "
              "`pred = model(X)`, y.reshape(-1, 1); the homework uses model_hw / optimizer_hw and the same loss_fn.",
              _TUTORIAL_NAMES),
    Organised("numbered_net7_net8",
              "Methods 1-6 were numbered, so the student numbered on: net7 / optmz7 / loss7fn for the loop and net8 / optmz8 for "
              "the homework, in the template's compact style.",
              _NET7_NET8),
    Organised("net1_reuses_lossfn",
              "Named the loop model net1 with optim1, and reused method 4's `lossfn` (an MSELoss, as the prompt said to reuse it) "
              "instead of creating mseloss; the homework model is net_nozero.",
              _NET1_LOSSFN),
    Organised("deepcopy_keeps_initial",
              "Kept the template's `net` as the untrained starting model to show before/after, and trained deep copies of it "
              "(`trained`, then `trained_hw`); so `net` stays at (-5, 10) while `optmz` is the loop optimizer of `trained`.",
              _DEEPCOPY),
    Organised("mseloss_history_list",
              "Called the loss function `mse` and used the name `mseloss` for the list of per-epoch losses, to look at the loss "
              "curve; the models are reg / reg_hw with optimizers sgd / sgd_hw.",
              _MSELOSS_HISTORY),
    # ---- 2. functions
    Organised("train_function_returns_net",
              "Saw that the two cells differ by one line and wrote `def train(zero_grad=True)` returning the trained net; "
              "net_a = train(), net_b = train(False). The optimizer is local to train() and gone after it returns.",
              _TRAIN_FUNCTION),
    Organised("train_function_returns_tuple",
              "Wrote train(clear_grad=True) in its own cell returning (model, opt), so the optimizer can still be inspected: "
              "model_a, opt_a = train(); model_b, opt_b = train(clear_grad=False).",
              _TRAIN_RETURNS_TUPLE),
    Organised("make_net_function",
              "Factored the two repeated lines (the model and its fixed initial weights) into make_net() in a cell of its own; "
              "the loops are inline on net_loop and net_hw, both with an optimizer named optmz (the homework's replaces the loop's).",
              _MAKE_NET),
    Organised("step_function_per_epoch",
              "Wrote the body of the loop as `def step(model, optimizer, clear=True)` following the lecture's step1~4, called "
              "once per epoch; models lin / lin2 with optimizers sgd / sgd2, the template's mseloss used inside step().",
              _STEP_FUNCTION),
    Organised("fit_in_place",
              "Wrote fit(model, epochs=100, lr=0.1, zero_grad=True) that creates its own SGD and trains the given model in place, "
              "returning the losses; the template's `net` is the loop model, net_hw the homework one. The optimizers are local to "
              "fit() and gone.",
              _FIT_IN_PLACE),
    # ---- 3. classes and containers
    Organised("trainer_class",
              "Grouped model, optimizer and loss into a Trainer class (attributes .model, .opt, .loss_fn) with a fit() that "
              "returns self: trainer = Trainer().fit(), trainer_hw = Trainer(zero_grad=False).fit().",
              _TRAINER),
    Organised("module_subclass",
              "Wrote the model as an nn.Module subclass, as the next lecture does, whose `self.lin = nn.Linear(2, 1, bias=False)` "
              "does the forward; the initial weights are set on reg.lin, the optimizer takes reg.parameters().",
              _MODULE_SUBCLASS),
    Organised("module_fits_itself",
              "An nn.Module subclass that sets its own initial weights and holds its optimizer and loss (self.optimizer, "
              "self.loss_fn), with a train_loop(X, y, epochs, zero_grad) method; m_loop and m_hw are two instances.",
              _MODULE_FITS_ITSELF),
    Organised("models_dict",
              "Kept models and optimizers in dicts keyed by question (models['loop'], models['homework']), with one loss_fn made "
              "in a cell of its own; the homework cell shows both weights.",
              _MODELS_DICT),
    Organised("models_list_merged",
              "Merged: ran both settings in one cell, `for clear in [True, False]`, appending each trained net to a list; the "
              "two checks follow. The names net / optmz end up holding the homework model and its optimizer, and the loop's "
              "optimizer is overwritten (gone); the loop model is nets[0].",
              _MODELS_LIST_MERGED),
    Organised("results_dict_train",
              "A train(lr=0.1, epochs=100, zero_grad=True) function whose results go into a dict: results['loop'] = train(), "
              "results['homework'] = train(zero_grad=False). The optimizers are local to train() and gone.",
              _RESULTS_DICT),
    # ---- 4. nn.Sequential
    Organised("sequential_template_names",
              "Wrote the model as nn.Sequential(nn.Linear(2, 1, bias=False)), as in the lecture's later examples, setting the "
              "initial weights through net[0].weight.data; otherwise the template's names and lines.",
              _SEQUENTIAL),
    Organised("sequential_builder",
              "A build() that returns nn.Sequential(nn.Linear(2, 1, bias=False)) with the initial weights copied in under "
              "torch.no_grad(); seq_loop / opt_loop and seq_hw / opt_hw.",
              _SEQUENTIAL_BUILDER),
    Organised("sequential_ordered_dict",
              "Named the layer with an OrderedDict, nn.Sequential(OrderedDict([('linear', ...)])), as a blog post did, and set "
              "model.linear.weight.data; the homework model is model2 with optimizer2.",
              _SEQUENTIAL_ORDERED_DICT),
    # ---- 5. magics
    Organised("time_magic_template_loops",
              "Put %%time on top of both training cells to see how long 100 epochs take; the cells are otherwise the template's.",
              _TIME_MAGIC),
    Organised("capture_named_log",
              "Printed the loss every epoch, then wrapped the training cells in `%%capture train_log` / `%%capture train_log_hw` "
              "to keep the notebook short, printing only the last lines in the next cell; models net_zg / net_nzg.",
              _CAPTURE_NAMED),
    Organised("capture_plain",
              "Silenced the printing training cells with a bare %%capture and showed the weights in a cell of their own; models "
              "lr_model / lr_model_hw, optimizers optim / optim_hw.",
              _CAPTURE_PLAIN),
    Organised("timeit_once",
              "Timed the bare training loops with `%%timeit -n1 -r1` (exactly one run), so the model and optimizer are made in "
              "the cell before (net_t / optmz_t, net_t2 / optmz_t2) and the weights shown in the cell after.",
              _TIMEIT_ONCE),
    Organised("writefile_scratch",
              "Saved a train() helper to scratch_file.py with %%writefile (meant for next week; it is never imported, so nothing "
              "in it runs), then wrote the loops inline on model_1 / sgd_1 and model_2 / sgd_2.",
              _WRITEFILE),
    Organised("line_magics",
              "%matplotlib inline with pyplot and a `!pip list | head -1` cell after the otter cell; train(zero_grad) returns "
              "(net, loss history), each call timed with a one-line `%time net_loop, hist_loop = train(...)` and the losses "
              "plotted. The optimizers are local to train() and gone.",
              _LINE_MAGICS),
    # ---- 6. cells split and merged
    Organised("split_cells",
              "Ran the template's lines one cell at a time to see each object (model, initial weights, optimizer, loss, loop, "
              "parameters), for both the loop and the homework; the template's names.",
              _SPLIT),
    Organised("merged_loops_one_cell",
              "Merged: trained both models in one cell (net_zg with zero_grad, net_acc without) under both prompts, followed by "
              "the loop and the homework check cells.",
              _MERGED_LOOPS),
    Organised("merged_methods_one_cell",
              "Typed methods 1-6 into the first method cell and deleted the other five code cells (prompts and checks kept), "
              "called all six backward() in one step3 cell and did all step4 updates in one cell.",
              _MERGED_METHODS),
    Organised("checks_at_cell_end",
              "Typed every grader.check call at the end of the code cell above it instead of in a cell of its own; the loops "
              "print the weights and use model_loop / opt_loop and model_hw / opt_hw.",
              _CHECKS_AT_END),
    # ---- 7. saved by an editor
    Organised("colab_gpu_runtime",
              "Worked on Colab with a T4 GPU runtime (!nvidia-smi after the otter cell): moved the models, X and y to the "
              "device and timed both loops with %%time; saved from Colab with its metadata, cell ids and outputs. The trained "
              "weights live on cuda:0 where a GPU is present.",
              _COLAB_GPU, COLAB_GPU),
    Organised("colab_train_function",
              "Worked on a Colab CPU runtime with two-space indents (Colab's default) and a train(use_zero_grad) function "
              "returning the net; saved from Colab with outputs. The optimizers are local to train() and gone.",
              _COLAB_TRAIN_FUNCTION, COLAB_CPU),
    Organised("vscode_saved",
              "Worked in VS Code with a local venv; the loop follows the tutorial order zero_grad -> backward -> step with "
              "model / optimizer, the homework model_nz / optimizer_nz; saved by VS Code with outputs and cell ids.",
              _VSCODE, VSCODE),
    Organised("printed_epochs_outputs",
              "Printed the loss and the weights every 10 epochs in both loops and submitted the notebook as JupyterLab saved "
              "it, outputs kept; models linreg / linreg_hw, optimizers optimizer / optimizer_hw.",
              _PRINTED_EPOCHS, JUPYTERLAB_RUN),
    # ---- 8. step4 optimizers and ways to clear the gradient
    Organised("step4_opt_names",
              "Named the step4 optimizers opt2, opt3, opt5, opt6 instead of optmz2, ...; everything else is the template's.",
              _STEP4_OPT_NAMES),
    Organised("step4_one_opt_reused",
              "Used one name `opt` for the SGD optimizer in every step4 cell, each made for that cell's net and stepped once; at "
              "the step4 check `opt` is the optimizer of net6 and the others are gone.",
              _STEP4_ONE_OPT),
    Organised("step4_optimizer_dict",
              "Made the four step4 optimizers at once in a dict keyed by method number in a cell after the prompt, and stepped "
              "optimizers[m] in each method's cell.",
              _STEP4_OPT_DICT),
    Organised("model_zero_grad",
              "Cleared the gradients with model.zero_grad() instead of the optimizer's (same effect for this model); models "
              "model / model_h, optimizers optimizer / optimizer_h.",
              _MODEL_ZERO_GRAD),
    Organised("zero_grad_before_backward",
              "Called optimizer.zero_grad() at the top of each epoch, before backward(), as most tutorials do; models "
              "net_sgd / net_sgd_hw.",
              _ZERO_GRAD_BEFORE_BACKWARD),
    Organised("grad_zero_inplace",
              "Zeroed the weight's gradient in place, w_net.weight.grad.zero_(), after each step (the lecture explained what "
              "zero_grad does); models w_net / w_net2 with optimizers w_opt / w_opt2.",
              _GRAD_ZERO_INPLACE),
]


# ---------------------------------------------------------------------------------------------------------------
# Building the notebook as the editor saves it


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()


def _colab_id(*parts: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    n = int(_digest(*parts), 16)
    return "".join(alphabet[(n >> (6 * i)) % 64] for i in range(12))


def _uuid(*parts: str) -> str:
    h = _digest(*parts)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


_TEMPLATE_ID = {(kind, source): ident for ident, (kind, source) in reversed(list(_CELL.items()))}


def _output(item: tuple, count: int | None) -> dict:
    kind, text = item
    if kind in ("stdout", "stderr"):
        return {"output_type": "stream", "name": kind, "text": text}
    if kind == "result":
        return {"output_type": "execute_result", "data": {"text/plain": text}, "metadata": {}, "execution_count": count}
    raise ValueError(f"unknown output kind {kind!r}")


def notebook(case: Organised) -> nbformat.NotebookNode:
    """The case as its editor saves it: a valid nbformat 4 notebook.

    Jupyter (the default) and VS Code write nbformat 4.5 with a cell id on each cell: a cell kept from the template keeps
    the template's id, a new one gets a fresh id. Colab writes nbformat 4.0 with the id in each cell's metadata, and for a
    cell with outputs an outputId. Notebooks saved from Colab or VS Code, or with outputs, carry execution counts.
    """
    meta = copy.deepcopy(case.metadata or JUPYTER)
    colab = "colab" in meta
    executed = colab or "vscode" in meta or any(len(cell) > 2 for cell in case.cells)
    nb = nbformat.v4.new_notebook(metadata=meta)
    nb.nbformat_minor = 0 if colab else 5
    used: set[str] = set()
    count = 0
    for i, (kind, source, *rest) in enumerate(case.cells):
        outputs = rest[0] if rest else ()
        cell: dict = {"cell_type": kind, "metadata": {}, "source": source}
        if colab:
            cell["metadata"]["id"] = _colab_id(case.name, str(i))
        else:
            ident = _TEMPLATE_ID.get((kind, source))
            if ident is None or ident in used:
                ident = _uuid(case.name, str(i))
            used.add(ident)
            cell["id"] = ident
        if kind == "code":
            count += 1
            cell["execution_count"] = count if executed else None
            cell["outputs"] = [_output(o, count if executed else None) for o in outputs]
            if colab and outputs:
                cell["metadata"] = {"colab": {"base_uri": "https://localhost:8080/"}, **cell["metadata"],
                                    "outputId": _uuid(case.name, str(i), "output")}
        elif outputs:
            raise ValueError(f"case {case.name!r}: a markdown cell has outputs")
        nb.cells.append(nbformat.from_dict(cell))
    nbformat.validate(nb)
    return nb
