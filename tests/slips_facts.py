"""Slips whose cause the notebook's own code pins down, each with the outcome a fair grader gives it.

Same format and fair-total rules as tests/slips_corpus.py (read its docstring). These were written,
before the grader was changed for them, from what a TA reading the notebook would say: the cause a
message names must agree with the code the student wrote (a loop without `step()` is not told where
its `zero_grad()` sits; an optimizer whose step ran is not asked whether it ran; an error is the
error of the cell that made the value). `new_cells` adds cells a student typed below an existing
one: (text that occurs once in the cell to insert after, source of the new cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import nbformat
from slips_corpus import L2, L3, OPT, Case, homework, loop
from slips_corpus import notebook as edited

__all__ = ["SLIPS", "CORRECT", "Case", "notebook"]

STEP = "    optmz.step() # SOLUTION\n"
ZERO = "    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION\n"


@dataclass(frozen=True)
class FactCase(Case):
    new_cells: tuple = ()


SLIPS: list[Case] = [
    FactCase("loop_without_step",
             "Wrote the four steps' comments but forgot the update line `optmz.step()` in the training loop, keeping zero_grad(): "
             "the weights never move. Nothing in the cell sits between backward() and step(), since there is no step().",
             (loop(STEP, ""),), {"loop:net": "not_trained"}, 54),
    FactCase("homework_without_step",
             "Deleted optmz.zero_grad() for the homework as asked, and the step() line with it: the weights never move.",
             (homework(STEP, ""),), {"homework:net": "not_trained"}, 54),
    FactCase("homework_own_optimizer_lr",
             "Made a fresh optimizer `opt` for the homework with lr=0.01 (a 'safer' rate for a loop that may diverge) and stepped "
             "it; the loop's `optmz` (lr=0.1) is left over from the cell above and bound to the loop's model.",
             (homework(OPT + " # SOLUTION\n", "opt = torch.optim.SGD(net.parameters(),lr=0.01)\n",
                       STEP, "    opt.step()\n"),),
             {"homework:net": "wrong_lr"}, 54),
    FactCase("optimizer_for_wrong_net5",
             "Copied the net2 update line for net5 and forgot to change the model: optmz5 holds net2's parameters, so "
             "optmz5.step() moves net2 a second time and net5 not at all: 60-2-2.",
             (("optmz5 = torch.optim.SGD(net5.parameters(),lr=0.1)", "optmz5 = torch.optim.SGD(net2.parameters(),lr=0.1)"),),
             {"step4:net5.weight": "no_update", "step4:net2.weight": "step_twice"}, 56),
    FactCase("raised_then_rewritten_loss2",
             "Wrote loss2 with lossfn, which is only defined in method 4, so the cell raised NameError after yhat2; then added "
             "a cell below with loss2 = torch.mean((y-yhat2)**2), which broadcasts. The error is not what is wrong with loss2 "
             "now: the later cell made it. Gradient and update follow the broadcast loss and are carried: 60-2.",
             ((L2 + " # SOLUTION", "loss2 = lossfn(y.reshape(100,1),yhat2)"),),
             {"method2:loss2": "broadcast"}, 58,
             new_cells=(("loss2 = lossfn(y.reshape(100,1),yhat2)", "loss2 = torch.mean((y-yhat2)**2)\nloss2"),)),
    FactCase("loop_cell_syntax_error",
             "Left the optimizer line of the training loop without its closing parenthesis: the whole cell is a SyntaxError and "
             "never runs. The homework cell below is correct. The loop is lost (6); it must not be graded with the homework's model.",
             (loop(OPT + " # SOLUTION", "optmz = torch.optim.SGD(net.parameters(),lr=0.1"),),
             {"loop:net": "cell_raised"}, 54),
    FactCase("homework_clears_by_hand",
             "Removed optmz.zero_grad() but, remembering that gradients accumulate, cleared them by hand with "
             "`net.weight.grad = None` after each step: the homework trains exactly like the loop with zero_grad.",
             (homework(STEP, STEP + "    net.weight.grad = None\n"),), {"homework:net": "zero_grad_in_homework"}, 54),
    FactCase("loss3_divided_by_n_again",
             "Averaged with torch.mean and then divided by n again 'to get the mean': the MSE times 1/100, a constant "
             "the grader's fixed list does not hold. Gradient and update follow from it and are carried: 60-2.",
             ((L3 + " # SOLUTION", "loss3 = torch.mean((y.reshape(100,1)-yhat3)**2)/n"),), {"method3:loss3": "scaled_mse"}, 58),
    FactCase("homework_loss_over_n",
             "Wrote the homework loss as the sum of squared errors over n², thinking of a 'mean of means': the MSE over 100 in "
             "every epoch of the homework loop.",
             (homework("    loss = mseloss(y.reshape(100,1),yhat) # SOLUTION",
                       "    loss = torch.sum((y.reshape(100,1)-yhat)**2)/n/n"),), {"homework:net": "scaled_mse"}, 54),
]

CORRECT: list[Case] = [
    FactCase("exploratory_optimizer_then_own",
             "Tried an optimizer with lr=0.001 in a scratch cell above the training loop, then wrote the loop with its own `opt` "
             "(lr=0.1) and never used the scratch one. The loop is right.",
             (loop(OPT + " # SOLUTION\n", "opt = torch.optim.SGD(net.parameters(),lr=0.1)\n",
                   STEP, "    opt.step()\n", ZERO, "    opt.zero_grad()\n"),),
             new_cells=(("grader.check(\"step4\")", "optmz = torch.optim.SGD(net2.parameters(),lr=0.001)  # 실험 / trying"),)),
    FactCase("loop_clears_grad_in_place",
             "Cleared the gradient with net.weight.grad.zero_() inside the loop instead of optmz.zero_grad(): the same training.",
             (loop(ZERO, "    net.weight.grad.zero_()\n"),)),
]


def notebook(case: Case) -> nbformat.NotebookNode:
    """The solved notebook with the case's edits and new cells, cleaned as slips_corpus.notebook does."""
    nb = edited(case)
    for after, source in getattr(case, "new_cells", ()):
        hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and after in c.source]
        if len(hits) != 1:
            raise ValueError(f"case {case.name!r}: {after!r} is in {len(hits)} code cells")
        nb.cells.insert(hits[0] + 1, nbformat.v4.new_code_cell(source))
    return nb

