"""A held-out corpus of realistic hw04 submissions, each with the grading outcome a fair grader gives it.

Same format and the same fair-total rules as tests/slips_corpus.py (read its docstring), but every case
here is new: no slip is the same slip at the same place as one in slips_corpus.py or tests/mutants.py,
and no correct variant repeats one there. It measures whether the grader generalises beyond the cases
it was tuned on, so the expectations were written by hand BEFORE anyone graded these notebooks, from the
lecture (../shared/seeds), the prompts, questions.py and mistakes.py. The edited notebooks were only
executed (fresh namespace, check cells skipped) to confirm that each slip runs, or raises, where its
story says. A story says so where its total rests on a reading of the rules that may be disputed.
"""

from __future__ import annotations

from slips_corpus import FOR, L1, L2, L3, L5, L6, OPT, SGD, SGD_TWICE, U1, U4, W1, Case, homework, loop, notebook

__all__ = ["SLIPS", "CORRECT", "Case", "notebook"]

N2 = "net2.weight.data = torch.tensor([[-5.0,10.0]])"
N3 = "net3.weight.data = torch.tensor([[10.0]]) # SOLUTION\nnet3.bias.data = torch.tensor([[-5.0]])"
L4 = "loss4 = lossfn(y,yhat4)"
LOSS = "    loss = mseloss(y.reshape(100,1),yhat) # SOLUTION"
ZERO = "    optmz.zero_grad() ## 누적되는 기울기값 방지 # SOLUTION"
INIT = "net.weight.data = torch.tensor([[-5.0,10.0]]) ## 초기값 고정 / fixed initial weights\n"

SLIPS: list[Case] = [
    # ---- method 1 (yhat1 2, loss1 2; What1.grad 2; What1 update 2)
    Case("abs_error_loss1",
         "Took '오차' (error) as the absolute error in the hand-written loss of method 1 and averaged |y-yhat1|.",
         ((L1, "loss1 = torch.mean(torch.abs(y-yhat1))"),), {"method1:loss1": "mae_not_mse"}, 58),
    Case("slope_first_what1",
         "Wrote the start as [10, -5], slope first as in 'y = ax + b', instead of (w0, w1) = (-5, 10); loss1, the gradient and "
         "the update are right given those weights and carried forward (assumes weights_not_set counts as recognised).",
         ((W1, "What1 = torch.tensor([10.0,-5.0],requires_grad=True)"),), {"method1:yhat1": "weights_not_set"}, 58),
    Case("item_loss1",
         "Appended .item() to see a plain number, so loss1 is a Python float; loss1.backward() then raises and the by-hand update "
         "(which runs after `lr=0.1`) raises on the None gradient: 60-2-2-2.",
         ((L1, "loss1 = torch.mean((y-yhat1)**2).item()"),), {"method1:loss1": "not_a_tensor"}, 54),
    Case("forgot_lr_what1",
         "Wrote the update as W - gradient, forgetting the learning-rate factor (a step with lr = 1).",
         ((U1, "What1.data = What1.data - What1.grad.data"),), {"step4:What1": "wrong_lr"}, 58),
    Case("no_backward_what1",
         "Thought requires_grad=True makes PyTorch fill What1.grad by itself and left step3's first cell without loss1.backward(); "
         "What1.grad is None, so the by-hand update raises after `lr=0.1` is set: 60-2-2.",
         (("loss1.backward() # SOLUTION\n", ""),), {"step3:What1.grad": "no_backward"}, 56),
    # ---- method 2
    Case("sum_loss2",
         "Wrote torch.sum for the squared errors of method 2, reading the Σ of the formula and dropping the 1/n.",
         ((L2, "loss2 = torch.sum((y.reshape(100,1)-yhat2)**2)"),), {"method2:loss2": "sum_not_mean"}, 58),
    Case("rmse_loss2",
         "Took the square root of method 2's mean squared error (RMSE, familiar from a regression course).",
         ((L2, "loss2 = torch.sqrt(torch.mean((y.reshape(100,1)-yhat2)**2))"),), {"method2:loss2": "rmse_not_mse"}, 58),
    # ---- method 3
    Case("bias_false_net3",
         "Copied method 2's constructor line with bias=False into method 3; `net3.bias.data = ...` then raises (bias is None), so "
         "yhat3, loss3 and net3's gradients and updates are lost: 60-4-1-1-1-1 (unsure: whether wrong_bias is named instead).",
         (("net3 = torch.nn.Linear(in_features=1,out_features=1,bias=True)",
           "net3 = torch.nn.Linear(in_features=1,out_features=1,bias=False)"),), {"method3:yhat3": "cell_raised"}, 52),
    Case("broadcast_loss3",
         "Copied method 1's loss line `torch.mean((y-yhat...)**2)` into method 3, where yhat3 is a (100,1) column: 100×100 broadcast.",
         ((L3, "loss3 = torch.mean((y-yhat3)**2)"),), {"method3:loss3": "broadcast"}, 58),
    Case("renamed_yhat3",
         "Named the prediction yhat_3 (their own style) and used it consistently in loss3, so `yhat3` is never defined; loss3 and "
         "everything after are right (disputable: whether loss3, whose input is missing but whose value is right, keeps its points).",
         (("yhat3 = net3(x.reshape(100,1))", "yhat_3 = net3(x.reshape(100,1))"),
          (L3, "loss3 = torch.mean((y.reshape(100,1)-yhat_3)**2)")), {"method3:yhat3": "missing"}, 58),
    # ---- method 4
    Case("lossfn_class_no_parens",
         "Wrote `lossfn = torch.nn.MSELoss` without the call, so lossfn(y,yhat4) builds a module with tensors as legacy arguments "
         "and raises; loss4, loss5, loss6 all raise (yhat4-6 kept) and so do their gradients and updates: 60-6-6-6.",
         (("lossfn = torch.nn.MSELoss()", "lossfn = torch.nn.MSELoss"),), {"method4:loss4": "cell_raised"}, 42),
    Case("elementwise_yhat4",
         "Used * instead of @ for the matrix product, so yhat4 = X*What4 has shape (100,2); lossfn(y,yhat4) then raises (lossfn "
         "itself was made first), so loss4, What4's gradient and its update are lost: 60-2-2-2-2.",
         (("yhat4 = X@What4", "yhat4 = X*What4"),), {"method4:yhat4": "shape"}, 52),
    Case("inplace_leaf_what4",
         "Wrote the by-hand update as `What4 -= lr*What4.grad` without .data or no_grad; in-place on a leaf that requires grad raises.",
         ((U4, "What4 -= lr*What4.grad"),), {"step4:What4": "cell_raised"}, 58),
    Case("retain_twice_what4",
         "Got 'backward through the graph a second time' when rerunning the What4 cell, added retain_graph=True and ran it again: "
         "the gradient is doubled; the update of the doubled gradient is carried forward.",
         (("loss4.backward()", "loss4.backward(retain_graph=True)\nloss4.backward()"),), {"step3:What4.grad": "grad_accumulated"}, 58),
    # ---- shared lossfn
    Case("smooth_l1_lossfn",
         "Picked torch.nn.SmoothL1Loss for lossfn, thinking 'smooth' meant a smooth (squared) loss; methods 4-6 use it: 60-2-2-2.",
         (("lossfn = torch.nn.MSELoss()", "lossfn = torch.nn.SmoothL1Loss()"),),
         {"method4:loss4": "huber_not_mse", "method5:loss5": "huber_not_mse", "method6:loss6": "huber_not_mse"}, 54),
    # ---- method 5
    Case("net5_weights_not_set",
         "Left out net5's weight line, thinking the model keeps the weights set for net2; net5 keeps its random start; loss5, the "
         "gradient and the update are right given it and carried forward (assumes weights_not_set counts as recognised).",
         (("net5.weight.data = torch.tensor([[-5.0,10.0]]) # SOLUTION\n", ""),), {"method5:yhat5": "weights_not_set"}, 58),
    Case("adam_net5",
         "Used torch.optim.Adam for optmz5, the optimizer of the tutorials the student had followed.",
         ((SGD.format(m=5), "optmz5 = torch.optim.Adam(net5.parameters(),lr=0.1)"),), {"step4:net5.weight": "wrong_optimizer"}, 58),
    # ---- method 6
    Case("broadcast_loss6",
         "Copied method 4's `lossfn(y,yhat4)` into method 6, where yhat6 is a (100,1) column (MSELoss only warns).",
         ((L6, "loss6 = lossfn(y,yhat6)"),), {"method6:loss6": "broadcast"}, 58),
    Case("bias_not_set_net6",
         "Set only net6's weight and forgot the bias line, so the bias keeps its random start; loss6, the gradients and the updates "
         "are right given it and carried forward (assumes weights_not_set counts as recognised).",
         (("net6.bias.data = torch.tensor([[-5.0]]) # SOLUTION\n", ""),), {"method6:yhat6": "weights_not_set"}, 58),
    Case("x_not_reshaped_net6",
         "Fed x itself (shape (100,)) to net6, forgetting the reshape to a column; the cell raises, losing yhat6, loss6 and net6's "
         "gradients and updates: 60-2-2-1-1-1-1.",
         (("yhat6 = net6(x.reshape(100,1))", "yhat6 = net6(x)"),), {"method6:yhat6": "cell_raised"}, 52),
    # ---- step3
    Case("backward_wrong_loss_net3",
         "Typed loss2.backward() in net3's gradient cell (copied from the cell above); loss2's graph is freed, the cell raises, "
         "net3's gradients stay None and optmz3.step() moves nothing: 60-1-1-1-1.",
         (("loss3.backward()", "loss2.backward()"),), {"step3:net3.bias.grad": "cell_raised"}, 56),
    # ---- step4
    Case("lr_001_net3",
         "Typed lr=0.01 for optmz3, misremembering the prompt's 0.1: both net3 parameters lose their point.",
         ((SGD.format(m=3), "optmz3 = torch.optim.SGD(net3.parameters(),lr=0.01)"),),
         {"step4:net3.bias": "wrong_lr", "step4:net3.weight": "wrong_lr"}, 58),
    Case("data_params_net6",
         "Gave SGD [net6.bias.data, net6.weight.data], copying the display line; those detached tensors have no grad, so step() "
         "moves nothing.",
         ((SGD.format(m=6), "optmz6 = torch.optim.SGD([net6.bias.data,net6.weight.data],lr=0.1)"),),
         {"step4:net6.bias": "no_update", "step4:net6.weight": "no_update"}, 58),
    # ---- the training loop (6)
    Case("zero_grad_dedented_loop",
         "Indented optmz.zero_grad() at the level of `for`, so it runs once after the loop and the gradients accumulate meanwhile.",
         (loop(ZERO, "optmz.zero_grad() ## 누적되는 기울기값 방지"),), {"loop:net": "no_zero_grad"}, 54),
    Case("l1loss_loop",
         "Made mseloss with torch.nn.L1Loss (autocomplete) in the training loop; the end point is the MAE fit, not the MSE fit.",
         (loop("mseloss = torch.nn.MSELoss() # SOLUTION", "mseloss = torch.nn.L1Loss()"),), {"loop:net": "mae_not_mse"}, 54),
    # ---- the homework loop, without zero_grad (6)
    Case("hand_loss_broadcast_homework",
         "Wrote the homework loss by hand as in method 1, torch.mean((y-yhat)**2), with yhat a (100,1) column: every epoch "
         "broadcasts (disputable: whether broadcast is named at homework:net or only wrong_value).",
         (homework(LOSS, "    loss = torch.mean((y-yhat)**2)"),), {"homework:net": "broadcast"}, 54),
    # ---- the practice question (0 points)
    Case("sgd_zero_grad_inside",
         "Put optmz_sgd.zero_grad() at the top of the two-round loop out of habit, so grad_twice is one backward's gradient; "
         "worth 0.",
         ((SGD_TWICE, SGD_TWICE.replace("for i in range(2):\n", "for i in range(2):\n    optmz_sgd.zero_grad()\n")),),
         {"sgd:grad_twice": "wrong_value"}, 60),
]

CORRECT: list[Case] = [
    Case("rmatmul_yhat1", "Wrote the prediction as What1@X.T (same values, shape (100,)).",
         (("yhat1 = X@What1", "yhat1 = What1@X.T"),)),
    Case("functional_loss1", "Used torch.nn.functional.mse_loss for the hand-written loss of method 1.",
         ((L1, "loss1 = torch.nn.functional.mse_loss(yhat1,y)"),)),
    Case("print_yhat1", "Printed the first predictions and their shape to check them.",
         (("yhat1 = X@What1", "yhat1 = X@What1\nprint(yhat1[:5], yhat1.shape)"),)),
    Case("reshape_minus1_loss2", "Reshaped y with y.reshape(-1,1) instead of naming 100.",
         ((L2, "loss2 = torch.mean((y.reshape(-1,1)-yhat2)**2)"),)),
    Case("sum_over_n_loss2", "Wrote the mean as the sum of squared errors divided by n (n=100 from the data cell).",
         ((L2, "loss2 = torch.sum((y.reshape(100,1)-yhat2)**2)/n"),)),
    Case("no_grad_copy_net2", "Set net2's weight in place under torch.no_grad() instead of through .data.",
         ((N2, "with torch.no_grad():\n    net2.weight[:] = torch.tensor([[-5.0,10.0]])"),)),
    Case("optimizer_early_net2", "Created optmz2 right after building net2 (in the method 2 cell); step4 only calls step().",
         ((SGD.format(m=2) + " # SOLUTION\n", ""),
          ("yhat2 = net2(X)", "optmz2 = torch.optim.SGD(net2.parameters(),lr=0.1)\nyhat2 = net2(X)"))),
    Case("fill_net3", "Set net3's weight and bias in place with .data.fill_() (the bias keeps its own shape (1,)).",
         ((N3, "net3.weight.data.fill_(10.0)\nnet3.bias.data.fill_(-5.0)"),)),
    Case("view_input_net3", "Made the single input a column with x.view(-1,1).",
         (("yhat3 = net3(x.reshape(100,1))", "yhat3 = net3(x.view(-1,1))"),)),
    Case("both_columns_loss4", "Made both y and yhat4 columns before MSELoss; the MSE is the same.",
         ((L4, "loss4 = lossfn(y.reshape(100,1),yhat4.reshape(100,1))"),)),
    Case("forward_net5", "Called net5.forward(X) explicitly instead of net5(X).", (("yhat5 = net5(X)", "yhat5 = net5.forward(X)"),)),
    Case("tensor_ctor_net6", "Used the torch.Tensor constructor, which makes [[10]] a float tensor.",
         (("net6.weight.data = torch.tensor([[10.0]])", "net6.weight.data = torch.Tensor([[10]])"),)),
    Case("explicit_gradient_loss6", "Passed the seed gradient explicitly: loss6.backward(torch.tensor(1.0)).",
         (("loss6.backward()", "loss6.backward(torch.tensor(1.0))"),)),
    Case("all_backward_first_cell", "Ran the six backward() calls in one loop in step3's first cell; the other cells only display.",
         (("loss1.backward()", "for l in [loss1,loss2,loss3,loss4,loss5,loss6]:\n    l.backward()"),
          ("loss2.backward() # SOLUTION\n", ""), ("loss3.backward() # SOLUTION\n", ""), ("loss4.backward() # SOLUTION\n", ""),
          ("loss5.backward() # SOLUTION\n", ""), ("loss6.backward() # SOLUTION\n", ""))),
    Case("rebind_update_what1", "Rebound What1 = What1 - lr*What1.grad (a new, non-leaf tensor with the right values).",
         ((U1, "What1 = What1 - lr*What1.grad"),)),
    Case("literal_lr_what4", "Wrote the learning rate 0.1 as a number in the by-hand update instead of `lr`.",
         ((U4, "What4.data = What4.data - 0.1*What4.grad.data"),)),
    Case("param_list_net3", "Listed net3's parameters for SGD by hand, bias first.",
         ((SGD.format(m=3), "optmz3 = torch.optim.SGD([net3.bias,net3.weight],lr=0.1)"),)),
    Case("positional_lr_net5", "Passed the learning rate positionally: SGD(net5.parameters(), 0.1).",
         ((SGD.format(m=5), "optmz5 = torch.optim.SGD(net5.parameters(),0.1)"),)),
    Case("zero_grad_after_step_net6", "Cleared net6's gradients after the step, as the training loop does.",
         (("optmz6.step()", "optmz6.step()\noptmz6.zero_grad()"),)),
    Case("weight_matmul_loop", "Computed the loop's prediction as X@net.weight.T (the same (100,1) column as net(X)).",
         (loop("    yhat = net(X) ## yhat 계산 # SOLUTION", "    yhat = X@net.weight.T ## yhat 계산"),)),
    Case("hand_loss_loop", "Wrote the loop's loss by hand with matching shapes (mseloss is still created).",
         (loop(LOSS, "    loss = torch.mean((y.reshape(100,1)-yhat)**2)"),)),
    Case("optimizer_before_init_loop", "Created the optimizer before fixing the initial weights; .data changes the same parameter.",
         (loop(INIT + OPT + " # SOLUTION", OPT + "\n" + INIT.rstrip("\n")),)),
    Case("set_to_none_false_loop", "Cleared the gradients with zero_grad(set_to_none=False), as the lecture's docs show.",
         (loop(ZERO, "    optmz.zero_grad(set_to_none=False)"),)),
    Case("underscore_homework", "Named the unused loop variable `_` in the homework loop.",
         (homework(FOR, "for _ in range(100):"),)),
    Case("sgd_retain_graph", "Computed the practice loss once and called backward(retain_graph=True) then backward().",
         ((SGD_TWICE, "loss = torch.mean((y-X@What)**2)\nloss.backward(retain_graph=True)\nloss.backward()"),)),
    Case("unsqueeze_loss6", "Matched the shapes with y.unsqueeze(-1) in method 6.",
         ((L6, "loss6 = lossfn(y.unsqueeze(-1),yhat6)"),)),
    Case("swapped_args_loss5", "Passed (yhat5, y.reshape(100,1)) to lossfn, input first as the docs order them.",
         ((L5, "loss5 = lossfn(yhat5,y.reshape(100,1))"),)),
]
