"""A corpus of realistic hw04 submissions, each with the grading outcome a fair grader gives it.

Every case is the solved notebook (solutions/hw04_solution.ipynb) with a few exact source edits,
then cleaned of solution markers as tests/mutants.py does. SLIPS hold one slip each (one thing
the student got wrong, which may show at several graded places, e.g. a wrong `lossfn` shared by
methods 4-6); CORRECT hold one harmless difference each and must earn full marks, 60.

The expectations were written by hand BEFORE anyone graded these notebooks: from the lecture
(../shared/seeds), the prompts, the points and inputs in autograder/spec/questions.py and the codes
in autograder/spec/mistakes.py. The edited notebooks were only executed (in a fresh namespace, check
cells skipped) to confirm that each slip runs, or raises, where its story says; the autograder itself
was not run on them. `expect` maps "question:path" (Quantity.key) to the code that must be named
there: the place where the slip happens (for a cell that raised, the first graded place that cell
should have defined). Consequences further down the chain are not listed; the score accounts for them.

Fair totals (out of 60; points from questions.py: each yhat 2 and loss 2; each gradient and each
update 2 for a (w0, w1) pair, 1 for a bias or a weight of methods 3 and 6; loop 6; homework 6):
1. A slip loses the points of the quantity (or quantities) where it happens.
2. A later quantity computed correctly from a wrong-but-recognised earlier value (a named loss
   variant, an accumulated gradient, a model named as built wrongly) keeps its points: carried forward.
   A later quantity computed from an unrecognised wrong value (wrong_value) is not credited.
3. A quantity that cannot be computed (missing because its cell raised, never defined, a gradient
   that is None) earns nothing, nor do later quantities that need it: this follows the notebook as
   it runs top to bottom (e.g. a raised cell that never set `lr` breaks the by-hand update of method 4).
4. A prediction (yhat) that is right earns its points even if the loss after it is wrong or missing.
5. The 0-point practice question (sgd) costs nothing.
A story says so where its total rests on a reading of these rules that may be disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat
from mutants import SOLUTION, clean


@dataclass(frozen=True)
class Case:
    name: str  # snake_case, unique
    story: str  # what the student did and why
    edits: tuple  # ((old, new), ...): exact replacements in the solution's code cells; each old occurs once
    expect: dict = field(default_factory=dict)  # {"question:path": "code"}; {} for correct variants
    score: float = 60.0  # the fair total out of 60


# The two training cells are identical up to their last lines, so edits inside them are made on the
# whole cell (as in the solution, markers included): loop(old, new) / homework(old, new).
LOOP = """net=torch.nn.Linear(in_features=2,out_features=1,bias=False) ## 모형정의
net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights
optmz = torch.optim.SGD(net.parameters(),lr=0.1) # SOLUTION
mseloss = torch.nn.MSELoss() # SOLUTION
for epoc in range(100):
    # step1: yhat
    yhat = net(X) ## yhat 계산 # SOLUTION
    # step2: loss
    loss = mseloss(y.reshape(100,1),yhat) # SOLUTION
    # step3: derivation
    loss.backward() # SOLUTION
    # step4: update
    optmz.step() # SOLUTION
    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION
list(net.parameters())"""
HOMEWORK = LOOP.replace("    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION\n", "")


def _in(cell: str, *changes: str) -> tuple[str, str]:
    """(cell, edited cell) for changes old1, new1, old2, new2, ... each old occurring once in the cell."""
    edited = cell
    for old, new in zip(changes[::2], changes[1::2]):
        if edited.count(old) != 1:
            raise ValueError(f"{old!r} occurs {edited.count(old)} times in the training cell")
        edited = edited.replace(old, new)
    return cell, edited


def loop(*changes: str) -> tuple[str, str]:
    return _in(LOOP, *changes)


def homework(*changes: str) -> tuple[str, str]:
    return _in(HOMEWORK, *changes)


L1 = "loss1 = torch.mean((y-yhat1)**2)"
L2 = "loss2 = torch.mean((y.reshape(100,1)-yhat2)**2)"
L3 = "loss3 = torch.mean((y.reshape(100,1)-yhat3)**2)"
L5 = "loss5 = lossfn(y.reshape(100,1),yhat5)"
L6 = "loss6 = lossfn(y.reshape(100,1),yhat6)"
W1 = "What1 = torch.tensor([-5.0,10.0],requires_grad=True)"
W4 = "What4 = torch.tensor([-5.0,10.0],requires_grad=True)"
U1 = "What1.data = What1.data - lr*What1.grad.data"
U4 = "What4.data = What4.data - lr*What4.grad.data"
SGD = "optmz{m} = torch.optim.SGD(net{m}.parameters(),lr=0.1)"
OPT = "optmz = torch.optim.SGD(net.parameters(),lr=0.1)"
FOR = "for epoc in range(100):"
SGD_TWICE = "for i in range(2):\n    loss = torch.mean((y-X@What)**2)\n    loss.backward()"

SLIPS: list[Case] = [
    # ---- method 1 (yhat1 2, loss1 2; What1.grad 2; What1 update 2)
    Case("half_mse_loss1",
         "Remembered the ½·MSE convention from a machine-learning course (it makes the derivative clean) and divided the loss by 2.",
         ((L1, L1 + "/2"),), {"method1:loss1": "scaled_mse"}, 58),
    Case("square_of_mean_loss1",
         "Misplaced the parenthesis when typing 'mean of squared errors': squared the mean error instead. Unrecognised, so "
         "the gradient and the update built on it are not credited (rule 2's second sentence): 60-2-2-2.",
         ((L1, "loss1 = torch.mean(y-yhat1)**2"),), {"method1:loss1": "wrong_value"}, 54),
    Case("int_tensor_what1",
         "Typed the prompt's [-5, 10] literally as integers; requires_grad on an int tensor raises, so What1, yhat1, loss1 are never "
         "defined. The step4 cell then raises at its first line `What1.data`, before the given `lr=0.1`, so the by-hand update of "
         "method 4 (which uses lr) raises too: 60-4-2-2-2 (the What4 loss is the disputable part).",
         ((W1, "What1 = torch.tensor([-5,10],requires_grad=True)"),), {"method1:yhat1": "cell_raised"}, 50),
    Case("yhat1_from_data",
         "Saw `.data` everywhere in the lecture and wrote yhat1 = X@What1.data: yhat1 and loss1 are right (kept, rule 4), but "
         "loss1 has no graph, so loss1.backward() raises and the by-hand update then raises too: 60-2-2 (disputable: whether the "
         "slip is named at step3 as here or already at method1:yhat1).",
         (("yhat1 = X@What1", "yhat1 = X@What1.data"),), {"step3:What1.grad": "cell_raised"}, 56),
    # ---- method 2
    Case("n_minus_one_loss2",
         "Used the unbiased-variance denominator n-1 from the statistics course instead of the mean over n.",
         ((L2, "loss2 = torch.sum((y.reshape(100,1)-yhat2)**2)/(n-1)"),), {"method2:loss2": "scaled_mse"}, 58),
    Case("mae_loss2",
         "Read '오차' (error) loosely and averaged the absolute errors instead of the squared ones.",
         ((L2, "loss2 = torch.mean(torch.abs(y.reshape(100,1)-yhat2))"),), {"method2:loss2": "mae_not_mse"}, 58),
    Case("weight_column_net2",
         "Wrote the weight as the column vector W of the model y = XW (the data section's math) instead of the row [[-5, 10]]; "
         "net2(X) raises a shape error, so yhat2, loss2, its gradient and its update are all lost: 60-4-2-2.",
         (("net2.weight.data = torch.tensor([[-5.0,10.0]])", "net2.weight.data = torch.tensor([[-5.0],[10.0]])"),),
         {"method2:yhat2": "cell_raised"}, 52),
    # ---- method 3
    Case("sum_loss3",
         "Followed the Σ in the written formula and summed the squared errors, forgetting the 1/n.",
         ((L3, "loss3 = ((y.reshape(100,1)-yhat3)**2).sum()"),), {"method3:loss3": "sum_not_mean"}, 58),
    Case("bias_weight_swapped_net3",
         "Mixed up 'bias 가 w0=-5, weight 가 w1=10' and set weight -5, bias 10. Named at yhat3; loss3, the gradients and the "
         "updates are right given that model and carried forward (assumes weights_not_set counts as recognised).",
         (("net3.weight.data = torch.tensor([[10.0]]) # SOLUTION\nnet3.bias.data = torch.tensor([[-5.0]])",
           "net3.weight.data = torch.tensor([[-5.0]])\nnet3.bias.data = torch.tensor([[10.0]])"),),
         {"method3:yhat3": "weights_not_set"}, 58),
    Case("net3_on_X",
         "Copied `yhat2 = net2(X)` into method 3, feeding the two-column X to a one-input Linear; the cell raises: 60-4-1-1-1-1.",
         (("yhat3 = net3(x.reshape(100,1))", "yhat3 = net3(X)"),), {"method3:yhat3": "cell_raised"}, 52),
    # ---- method 4
    Case("broadcast_loss4",
         "Over-applied method 2's hint 'y 의 shape 에 주의' to method 4, where yhat4 is a vector, so y.reshape(100,1) against "
         "yhat4 of shape (100,) broadcasts to 100×100.",
         (("loss4 = lossfn(y,yhat4)", "loss4 = lossfn(y.reshape(100,1),yhat4)"),), {"method4:loss4": "broadcast"}, 58),
    Case("numpy_float64_what4",
         "Built What4 from np.array([-5.0, 10.0]) (numpy is imported in the data cell), which is float64; X@What4 raises, so the "
         "cell stops before `lossfn` is created and loss5, loss6 raise too (yhat5, yhat6 keep their points, rule 4). Lost: "
         "yhat4, loss4, loss5, loss6 (8), the gradients of methods 4-6 (6) and their updates (6): 60-20.",
         ((W4, "What4 = torch.tensor(np.array([-5.0,10.0]),requires_grad=True)"),), {"method4:yhat4": "cell_raised"}, 40),
    Case("no_requires_grad_what4",
         "Forgot requires_grad=True in method 4, thinking the MSELoss object would handle the derivative. Named at yhat4 (2); loss4 "
         "is right and kept; loss4.backward() raises, so What4.grad (2) and its update (2) are lost: 60-6 (disputable: whether "
         "yhat4, whose values are right, loses its points).",
         ((W4, "What4 = torch.tensor([-5.0,10.0])"),), {"method4:yhat4": "no_requires_grad"}, 54),
    # ---- methods 4-6 share lossfn
    Case("l1loss_lossfn",
         "Picked torch.nn.L1Loss from autocomplete for 'loss함수는 torch.nn...'; methods 4, 5 and 6 all use it: 60-2-2-2.",
         (("lossfn = torch.nn.MSELoss()", "lossfn = torch.nn.L1Loss()"),),
         {"method4:loss4": "mae_not_mse", "method5:loss5": "mae_not_mse", "method6:loss6": "mae_not_mse"}, 54),
    Case("sum_reduction_lossfn",
         "Read the MSELoss docs and chose reduction='sum' to match the Σ of the formula; all three methods using lossfn lose the loss.",
         (("lossfn = torch.nn.MSELoss()", "lossfn = torch.nn.MSELoss(reduction='sum')"),),
         {"method4:loss4": "sum_not_mean", "method5:loss5": "sum_not_mean", "method6:loss6": "sum_not_mean"}, 54),
    # ---- method 5
    Case("broadcast_loss5",
         "Copied method 4's `lossfn(y,yhat4)` into method 5, where yhat5 has shape (100,1) (MSELoss only warns).",
         ((L5, "loss5 = lossfn(y,yhat5)"),), {"method5:loss5": "broadcast"}, 58),
    Case("rmse_loss5",
         "Took the square root of the MSELoss, thinking the loss should be on the scale of y (RMSE).",
         ((L5, "loss5 = torch.sqrt(lossfn(y.reshape(100,1),yhat5))"),), {"method5:loss5": "rmse_not_mse"}, 58),
    Case("bias_default_net5",
         "Wrote torch.nn.Linear(2,1) without bias=False (the default adds a random bias). Named at yhat5; loss5, the weight's "
         "gradient and its SGD update are right given that model and carried forward (assumes wrong_bias counts as recognised).",
         (("net5 = torch.nn.Linear(in_features=2,out_features=1,bias=False)", "net5 = torch.nn.Linear(2,1)"),),
         {"method5:yhat5": "wrong_bias"}, 58),
    # ---- method 6
    Case("huber_loss6",
         "Used torch.nn.functional.smooth_l1_loss in method 6, believing it a 'smoother' MSE.",
         ((L6, "loss6 = torch.nn.functional.smooth_l1_loss(yhat6,y.reshape(100,1))"),), {"method6:loss6": "huber_not_mse"}, 58),
    Case("int_bias_net6",
         "Wrote the bias as the integer [[-5]]; setting .data of a parameter to an int tensor raises, so yhat6, loss6 and the "
         "method's gradients and updates are lost: 60-4-2-2.",
         (("net6.bias.data = torch.tensor([[-5.0]])", "net6.bias.data = torch.tensor([[-5]])"),),
         {"method6:yhat6": "cell_raised"}, 52),
    # ---- step3: gradients
    Case("autograd_grad_not_stored",
         "Googled 'pytorch gradient' and called torch.autograd.grad(loss2, net2.weight), which returns the gradient but leaves "
         "net2.weight.grad None (the cell shows None, no error); optmz2.step() then moves nothing: 60-2-2.",
         (("loss2.backward()", "torch.autograd.grad(loss2, net2.weight)"),), {"step3:net2.weight.grad": "no_backward"}, 56),
    Case("backward_twice_net2",
         "Reran the step3 cell, added retain_graph=True as the error message suggests, and so called backward twice; the SGD "
         "update with lr=0.1 of the doubled gradient is carried forward.",
         (("loss2.backward()", "loss2.backward(retain_graph=True)\nloss2.backward()"),),
         {"step3:net2.weight.grad": "grad_accumulated"}, 58),
    Case("backward_in_method3_cell",
         "Called loss3.backward(retain_graph=True) already in the method 3 cell to peek at the gradient, then again in step3: both "
         "net3 gradients doubled, the updates carried forward.",
         ((L3, L3 + "\nloss3.backward(retain_graph=True)"),),
         {"step3:net3.bias.grad": "grad_accumulated", "step3:net3.weight.grad": "grad_accumulated"}, 58),
    Case("backward_wrong_loss_net5",
         "Copy-pasted the method 4 cell in step3 and ran loss4.backward() instead of loss5.backward(); the graph is already freed, "
         "the cell raises, net5.weight.grad stays None and optmz5.step() then moves nothing: 60-2-2.",
         (("loss5.backward()", "loss4.backward()"),), {"step3:net5.weight.grad": "cell_raised"}, 56),
    Case("backward_no_parens_loss6",
         "Wrote `loss6.backward` without the call parentheses (the cell shows no error): no gradients for net6, and so no update: 60-2-2.",
         (("loss6.backward()", "loss6.backward"),),
         {"step3:net6.bias.grad": "no_backward", "step3:net6.weight.grad": "no_backward"}, 56),
    # ---- step4: updates
    Case("update_not_assigned_what1",
         "Wrote the right-hand side `What1.data - lr*What1.grad.data` without assigning it, so What1 keeps its old value.",
         ((U1, "What1.data - lr*What1.grad.data"),), {"step4:What1": "no_update"}, 58),
    Case("update_twice_what1",
         "Typed the update and then also pasted the lecture's line `... ## update 후` below it, so the update runs twice.",
         ((U1, U1 + "\n" + U1 + " ## update 후"),), {"step4:What1": "step_twice"}, 58),
    Case("update_sign_what4",
         "Wrote the update as `What4.data += lr*What4.grad.data`, moving along the gradient.",
         ((U4, "What4.data += lr*What4.grad.data"),), {"step4:What4": "update_sign"}, 58),
    Case("lr_variable_001",
         "Thought the first update jumped too far and changed the given `lr=0.1` to 0.01; both by-hand updates use it: 60-2-2.",
         (("lr=0.1 # learning rate", "lr=0.01 # learning rate"),), {"step4:What1": "wrong_lr", "step4:What4": "wrong_lr"}, 56),
    Case("zero_grad_before_step_net2",
         "Followed the usual 'zero_grad → backward → step' idiom and called optmz2.zero_grad() before optmz2.step(); the gradient "
         "is gone (None), so step() moves nothing.",
         (("optmz2.step()", "optmz2.zero_grad()\noptmz2.step()"),), {"step4:net2.weight": "no_update"}, 58),
    Case("adam_net2",
         "Used torch.optim.Adam, the optimizer of most online tutorials, instead of SGD for method 2.",
         ((SGD.format(m=2), "optmz2 = torch.optim.Adam(net2.parameters(),lr=0.1)"),),
         {"step4:net2.weight": "wrong_optimizer"}, 58),
    Case("negative_lr_net3",
         "Put the minus of 'W - lr×gradient' into the learning rate, lr=-0.1; SGD raises ValueError, so net3 is not updated: 60-1-1.",
         ((SGD.format(m=3), "optmz3 = torch.optim.SGD(net3.parameters(),lr=-0.1)"),), {"step4:net3.bias": "cell_raised"}, 58),
    Case("step_no_parens_net3",
         "Wrote `optmz3.step` without parentheses: nothing happens, both net3 parameters keep their values: 60-1-1.",
         (("optmz3.step()", "optmz3.step"),), {"step4:net3.bias": "no_update", "step4:net3.weight": "no_update"}, 58),
    Case("step_twice_net5",
         "Wrote optmz5.step() and then also pasted the lecture's `optmz5.step() ## update` line, stepping twice.",
         (("optmz5.step()", "optmz5.step()\noptmz5.step() ## update"),), {"step4:net5.weight": "step_twice"}, 58),
    Case("lr_001_net6",
         "Used lr=0.01, the default learning rate of Keras' SGD that the student knew, for optmz6: 60-1-1.",
         ((SGD.format(m=6), "optmz6 = torch.optim.SGD(net6.parameters(),lr=0.01)"),),
         {"step4:net6.bias": "wrong_lr", "step4:net6.weight": "wrong_lr"}, 58),
    Case("weight_only_optimizer_net6",
         "Gave SGD only [net6.weight], thinking of 'the weight' as the parameter; the bias is not updated (1 point), the weight is.",
         ((SGD.format(m=6), "optmz6 = torch.optim.SGD([net6.weight],lr=0.1)"),), {"step4:net6.bias": "no_update"}, 59),
    # ---- the training loop (6)
    Case("zero_grad_before_step_loop",
         "Thought the gradient should be cleared right after backward() has produced it, and put zero_grad() before step(): "
         "the weights never move.",
         (loop("    optmz.step() # SOLUTION\n    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION",
               "    optmz.zero_grad() ## 누적되는 기울기값 방지\n    optmz.step()"),), {"loop:net": "zero_grad_cancels_step"}, 54),
    Case("zero_grad_no_parens_loop",
         "Wrote `optmz.zero_grad` without parentheses, so gradients accumulate as in the homework.",
         (loop("    optmz.zero_grad() ## 누적되는", "    optmz.zero_grad ## 누적되는"),), {"loop:net": "no_zero_grad"}, 54),
    Case("momentum_loop",
         "Read the lecture's 'stochastic gradient descent (optionally with momentum)' and added momentum=0.9 to the loop's SGD.",
         (loop(OPT, "optmz = torch.optim.SGD(net.parameters(),lr=0.1,momentum=0.9)"),), {"loop:net": "optimizer_settings"}, 54),
    Case("lr_001_loop",
         "Used lr=0.01 in the training loop, thinking a smaller rate is safer over 100 epochs (it does not converge in time).",
         (loop(OPT, "optmz = torch.optim.SGD(net.parameters(),lr=0.01)"),), {"loop:net": "wrong_lr"}, 54),
    Case("epochs_10_loop",
         "Tried the loop with range(10) to see that it runs and forgot to set it back to 100 (10 epochs are far from converged).",
         (loop(FOR, "for epoc in range(10):"),), {"loop:net": "wrong_epochs"}, 54),
    Case("yhat_outside_loop",
         "Read 'step1~4 를 반복' as computing yhat once before the loop; the second backward() through the freed graph raises "
         "after one update.",
         (loop(FOR + "\n    # step1: yhat\n    yhat = net(X) ## yhat 계산 # SOLUTION",
               "yhat = net(X) ## yhat 계산 (한 번만)\n" + FOR + "\n    # step1: yhat"),), {"loop:net": "cell_raised"}, 54),
    Case("broadcast_loss_loop",
         "Wrote the loop's loss as mseloss(y,yhat), as in method 4, so every epoch uses the broadcast 100×100 loss (disputable: "
         "whether `broadcast` is named at loop:net or only wrong_value).",
         (loop("    loss = mseloss(y.reshape(100,1),yhat)", "    loss = mseloss(y,yhat)"),), {"loop:net": "broadcast"}, 54),
    # ---- the homework loop, without zero_grad (6)
    Case("zero_grad_top_homework",
         "Put optmz.zero_grad() at the top of the loop body out of habit, so the homework trains like the loop above.",
         (homework(FOR + "\n", FOR + "\n    optmz.zero_grad()\n"),), {"homework:net": "zero_grad_in_homework"}, 54),
    Case("adam_homework",
         "Thought the homework was about trying another optimizer and used Adam in the loop without zero_grad.",
         (homework(OPT, "optmz = torch.optim.Adam(net.parameters(),lr=0.1)"),), {"homework:net": "optimizer_settings"}, 54),
    Case("epochs_99_homework",
         "Wrote range(1,100) for '100번', which is 99 epochs; without zero_grad the weights still swing, so it shows.",
         (homework(FOR, "for epoc in range(1,100):"),), {"homework:net": "wrong_epochs"}, 54),
    Case("lecture_copy_homework",
         "Pasted the lecture's homework cell, which has no fixed-initial-weights line, so training starts from random weights.",
         (homework("net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights\n", ""),),
         {"homework:net": "wrong_start"}, 54),
    # ---- the practice question (0 points)
    Case("sgd_backward_same_loss",
         "Read '(1) loss 를 계산하고 backward() 하기를 두 번' as computing the loss once and calling backward() twice; the second "
         "call raises, grad_twice is never set; the question is worth 0.",
         ((SGD_TWICE, "loss = torch.mean((y-X@What)**2)\nfor i in range(2):\n    loss.backward()"),),
         {"sgd:grad_twice": "cell_raised"}, 60),
    Case("sgd_grad_alias",
         "Kept a reference `grad_twice = What.grad` instead of a copy, so zero_grad(set_to_none=False) zeroes it too; worth 0.",
         (("grad_twice = What.grad.clone()", "grad_twice = What.grad"),), {"sgd:grad_twice": "wrong_value"}, 60),
    Case("step_first_homework",
         "The homework loop calls optmz.step() before loss.backward(), reading the lecture's steps as 'update, then "
         "differentiate'; each step then uses the gradients kept so far (written after the grader changed, with this code).",
         (homework("    loss.backward() # SOLUTION\n    # step4: update\n    optmz.step() # SOLUTION\n",
                   "    optmz.step() # SOLUTION\n    loss.backward() # SOLUTION\n    # step4: update\n"),),
         {"homework:net": "step_before_backward"}, 54),
]

CORRECT: list[Case] = [
    Case("unsqueeze_loss2", "Matched the shapes with y.unsqueeze(1) instead of y.reshape(100,1).",
         ((L2, "loss2 = torch.mean((y.unsqueeze(1)-yhat2)**2)"),)),
    Case("none_index_loss3", "Matched the shapes with numpy-style y[:,None].",
         ((L3, "loss3 = torch.mean((y[:,None]-yhat3)**2)"),)),
    Case("squeeze_yhat_loss3", "Squeezed yhat3 to a vector instead of reshaping y.",
         ((L3, "loss3 = torch.mean((y-yhat3.squeeze())**2)"),)),
    Case("view_loss5", "Reshaped y with y.view(-1,1).", ((L5, "loss5 = lossfn(y.view(-1,1),yhat5)"),)),
    Case("functional_mse_loss4", "Used torch.nn.functional.mse_loss for loss4 (lossfn is still created for methods 5, 6).",
         (("loss4 = lossfn(y,yhat4)", "loss4 = torch.nn.functional.mse_loss(yhat4,y)"),)),
    Case("swapped_args_loss6", "Passed (yhat, y) to MSELoss as its docs do (input, target); the MSE is symmetric.",
         ((L6, "loss6 = lossfn(yhat6,y.reshape(100,1))"),)),
    Case("mean_method_loss1", "Wrote the mean as a tensor method.", ((L1, "loss1 = ((y-yhat1)**2).mean()"),)),
    Case("helper_mse_loss1", "Wrote a small mse helper function and used it for loss1.",
         ((L1, "def mse(y, yhat):\n    return torch.mean((y-yhat)**2)\n\nloss1 = mse(y, yhat1)"),)),
    Case("float64_method1", "Worked in float64 for precision: What1 in float64 and X converted with .double().",
         ((W1, "What1 = torch.tensor([-5.0,10.0],dtype=torch.float64,requires_grad=True)"),
          ("yhat1 = X@What1", "yhat1 = X.double()@What1"))),
    Case("requires_grad_method_what1", "Turned on gradients with .requires_grad_() after creating the tensor.",
         ((W1, "What1 = torch.tensor([-5.0,10.0]).requires_grad_()"),)),
    Case("formula_yhat1", "Wrote yhat1 from the model formula w0 + w1·x instead of the matrix product.",
         (("yhat1 = X@What1", "yhat1 = What1[0] + What1[1]*x"),)),
    Case("float_tensor_what4", "Used the older torch.FloatTensor constructor, which makes the integers floats.",
         ((W4, "What4 = torch.FloatTensor([-5,10]).requires_grad_(True)"),)),
    Case("matmul_yhat4", "Used torch.matmul instead of @.", (("yhat4 = X@What4", "yhat4 = torch.matmul(X,What4)"),)),
    Case("korean_comments_method4", "Annotated the method 4 cell with Korean comments.",
         ((W4, "# 방법4: 모델식은 직접 선언하고 손실함수는 MSELoss 를 쓴다\n" + W4 + "  # 초기값 (w0, w1) = (-5, 10)"),)),
    Case("parameter_net2", "Replaced the weight by a new nn.Parameter instead of setting .data (before the optimizer is made).",
         (("net2.weight.data = torch.tensor([[-5.0,10.0]])",
           "net2.weight = torch.nn.Parameter(torch.tensor([[-5.0,10.0]]))"),)),
    Case("nn_init_net3", "Set the initial weight and bias with torch.nn.init.constant_ (bias shape (1,) rather than (1,1)).",
         (("net3.weight.data = torch.tensor([[10.0]]) # SOLUTION\nnet3.bias.data = torch.tensor([[-5.0]])",
           "torch.nn.init.constant_(net3.weight, 10.0)\ntorch.nn.init.constant_(net3.bias, -5.0)"),)),
    Case("x_column_net3", "Took the single input as the column X[:,[1]] instead of x.reshape(100,1).",
         (("yhat3 = net3(x.reshape(100,1))", "yhat3 = net3(X[:,[1]])"),)),
    Case("copy_weights_net5", "Copied the initial weights in place with .data.copy_().",
         (("net5.weight.data = torch.tensor([[-5.0,10.0]])", "net5.weight.data.copy_(torch.tensor([[-5.0,10.0]]))"),)),
    Case("positional_linear_net6", "Wrote torch.nn.Linear(1,1), relying on bias=True being the default.",
         (("net6 = torch.nn.Linear(in_features=1,out_features=1,bias=True)", "net6 = torch.nn.Linear(1,1)"),)),
    Case("bias_vector_net6", "Set the bias as a vector [-5.0], the shape nn.Linear itself uses, not the lecture's [[-5.0]].",
         (("net6.bias.data = torch.tensor([[-5.0]])", "net6.bias.data = torch.tensor([-5.0])"),)),
    Case("autograd_grad_assigned", "Computed the gradient with torch.autograd.grad and stored it in What1.grad.",
         (("loss1.backward()", "What1.grad = torch.autograd.grad(loss1, What1)[0]"),)),
    Case("retain_graph_once", "Passed retain_graph=True to a single backward() call (harmless).",
         (("loss5.backward()", "loss5.backward(retain_graph=True)"),)),
    Case("no_grad_update_what1", "Updated What1 in place inside torch.no_grad() instead of through .data.",
         ((U1, "with torch.no_grad():\n    What1 -= lr*What1.grad"),)),
    Case("inplace_sub_what4", "Updated What4.data in place with sub_.", ((U4, "What4.data.sub_(lr*What4.grad)"),)),
    Case("new_leaf_what4", "Made the updated What4 a new leaf tensor with detach().requires_grad_().",
         ((U4, "What4 = (What4 - lr*What4.grad).detach().requires_grad_(True)"),)),
    Case("lr_scientific", "Wrote the given learning rate as 1e-1.", (("lr=0.1 # learning rate", "lr=1e-1 # learning rate"),)),
    Case("weight_list_optmz2", "Gave SGD the list [net2.weight], which is all of net2's parameters.",
         ((SGD.format(m=2), "optmz2 = torch.optim.SGD([net2.weight],lr=0.1)"),)),
    Case("lr_variable_optmz3", "Passed the lr variable (0.1) by keyword to SGD.",
         ((SGD.format(m=3), "optmz3 = torch.optim.SGD(params=net3.parameters(), lr=lr)"),)),
    Case("show_parameters_net5", "Also displayed list(net5.parameters()) after the step, as the lecture does.",
         (("optmz5.step()", "optmz5.step()\nprint(list(net5.parameters()))"),)),
    Case("net_zero_grad_loop", "Cleared the gradients with net.zero_grad() instead of optmz.zero_grad().",
         (loop("    optmz.zero_grad() ## 누적되는", "    net.zero_grad() ## 누적되는"),)),
    Case("zero_grad_first_loop", "Put zero_grad() at the top of the loop body, the usual PyTorch idiom.",
         (loop("    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION\n", "",
               FOR + "\n", FOR + "\n    optmz.zero_grad() ## 누적되는 기울기값 방지\n"),)),
    Case("range_1_101_loop", "Counted the epochs from 1: range(1,101) is still 100 epochs.",
         (loop(FOR, "for epoc in range(1,101):"),)),
    Case("while_loop", "Wrote the 100 epochs as a while loop with a counter.",
         (loop(FOR, "epoc = 0\nwhile epoc < 100:\n    epoc = epoc + 1"),)),
    Case("print_progress_loop", "Printed the loss and weights every 10 epochs to watch the training.",
         (loop("    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION",
               "    optmz.zero_grad()\n    if epoc % 10 == 0:\n        print(epoc, loss.item(), net.weight.data)"),)),
    Case("lr_variable_loop", "Reused the lr variable (0.1) from step4 in the loop's optimizer.",
         (loop(OPT, "optmz = torch.optim.SGD(net.parameters(),lr=lr)"),)),
    Case("functional_loss_loop", "Used torch.nn.functional.mse_loss in the loop (mseloss is still created).",
         (loop("    loss = mseloss(y.reshape(100,1),yhat)", "    loss = torch.nn.functional.mse_loss(yhat,y.reshape(100,1))"),)),
    Case("swapped_args_homework", "Passed (yhat, y.reshape(-1,1)) to mseloss in the homework loop.",
         (homework("    loss = mseloss(y.reshape(100,1),yhat)", "    loss = mseloss(yhat,y.reshape(-1,1))"),)),
    Case("optimizer_inside_homework_loop",
         "Created the SGD optimizer inside the homework loop; plain SGD keeps no state and the gradients still accumulate in .grad, "
         "so the result is the same.",
         (homework(OPT + " # SOLUTION\nmseloss = torch.nn.MSELoss() # SOLUTION\n" + FOR + "\n",
                   "mseloss = torch.nn.MSELoss()\n" + FOR + "\n    optmz = torch.optim.SGD(net.parameters(),lr=0.1)\n"),)),
    Case("print_homework", "Printed the weights every 20 epochs of the homework loop to observe the oscillation.",
         (homework("    optmz.step() # SOLUTION\n",
                   "    optmz.step()\n    if epoc % 20 == 0:\n        print(epoc, net.weight.data)\n"),)),
    Case("sgd_unrolled", "Wrote the practice question's two loss/backward rounds out by hand instead of a for loop.",
         ((SGD_TWICE, "loss = torch.mean((y-X@What)**2)\nloss.backward()\nloss = torch.mean((y-X@What)**2)\nloss.backward()"),)),
]


def notebook(case: Case) -> nbformat.NotebookNode:
    """The solved notebook with the case's edits applied, solution markers removed, outputs cleared."""
    nb = nbformat.read(SOLUTION, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for old, new in case.edits:
        hits = sum(c.source.count(old) for c in code)
        if hits != 1:
            raise ValueError(f"case {case.name!r}: {old!r} occurs {hits} times in the solution's code cells")
        cell = next(c for c in code if old in c.source)
        cell.source = cell.source.replace(old, new)
    for cell in code:
        cell.source = clean(cell.source)
        cell.outputs, cell.execution_count = [], None
    return nb
