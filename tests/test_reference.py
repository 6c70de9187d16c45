"""The reference reproduces the lecture's values under torch 2.13 on the CPU."""

import pytest
import torch

from solutions import reference as ref


@pytest.fixture(scope="module")
def data():
    return ref.make_data()


def test_data_is_the_lecture_cell(data):
    torch.manual_seed(202150754)
    n = 100
    x, _ = torch.randn(n).sort()
    X = torch.vstack([torch.ones(n), x]).T
    y = X @ torch.tensor([2.5, 4]) + torch.randn(n) * 0.5
    assert torch.equal(data.X, X) and torch.equal(data.y, y)
    assert data.X.dtype == torch.float32 and data.X.device.type == "cpu"


@pytest.mark.parametrize("method", range(1, 7))
def test_every_method_gives_the_lecture_values(data, method):
    s = ref.step(data, method)
    assert s.loss == pytest.approx(110.0313, abs=1e-4)
    assert s.grad == pytest.approx((-17.3043, 14.8581), abs=1e-4)
    assert s.updated == pytest.approx((-3.2696, 8.5142), abs=1e-4)
    assert tuple(s.yhat.shape) == ((100,) if method in (1, 4) else (100, 1))


def test_loop_with_zero_grad_reaches_least_squares(data):
    assert ref.train(data) == pytest.approx((2.5306, 3.9915), abs=1e-4)
    assert ref.least_squares(data) == pytest.approx((2.5306, 3.9915), abs=1e-4)


def test_loop_without_zero_grad_is_the_homework_value(data):
    assert ref.train(data, zero_grad=False) == pytest.approx((-1.6055, 9.7606), abs=1e-4)


def test_accumulated_gradient_is_a_multiple(data):
    assert ref.accumulated_grad(data, times=3) == pytest.approx((-3 * 17.3043, 3 * 14.8581), abs=1e-3)


@pytest.mark.parametrize("seed", [202150754, 7])
def test_the_reference_sgd_step_is_exactly_what_torch_optim_sgd_computes(seed):
    """The reference calls the function SGD.step runs (the object would import torch._dynamo in the
    grader's process): one step and both 100-epoch loops must equal the lecture's SGD code bit for bit."""
    d = ref.make_data(seed)
    for method in (2, 3, 5, 6):
        params = ref._params(ref.METHODS[method], ref.W_INIT)
        ref._forward(ref.METHODS[method], d, params)[1].backward()
        torch.optim.SGD(list(params.values()), lr=ref.LR).step()
        assert ref._canonical(ref.METHODS[method], params) == ref.step(d, method).updated
    for zero_grad in (True, False):
        weight = torch.tensor([list(ref.W_INIT)], requires_grad=True)
        optmz = torch.optim.SGD([weight], lr=ref.LR)
        for _ in range(ref.EPOCHS):
            torch.nn.MSELoss()(d.y.reshape(-1, 1), d.X @ weight.T).backward()
            optmz.step()
            if zero_grad:
                optmz.zero_grad()
        assert tuple(weight.detach().reshape(-1).tolist()) == ref.train(d, zero_grad=zero_grad)


def test_functions_are_pure_and_follow_their_arguments(data):
    before = torch.random.get_rng_state()
    other = ref.make_data(seed=1)
    assert torch.equal(torch.random.get_rng_state(), before)
    assert not torch.equal(other.y, data.y)
    assert ref.step(other, 1).loss != pytest.approx(110.0313, abs=1e-2)
    assert ref.step(data, 1, w=(0.0, 0.0), lr=0.5).updated != pytest.approx((-3.2696, 8.5142), abs=1e-2)
    assert ref.train(data, epochs=1) == pytest.approx(ref.step(data, 5).updated, abs=1e-5)


@pytest.mark.parametrize("seed", [202150754, 1, 123456789, 987654321, 555555555])
def test_the_closed_form_loops_agree_with_the_torch_loops_far_inside_the_tolerance(seed):
    """Fresh data sets take their loops from judge/loops.gradient_descent (expected.Reference): it must
    give what the lecture's torch loop gives, 100 times closer than the loops' tolerance (1e-3)."""
    import numpy as np

    from autograder.judge.loops import gradient_descent

    data = ref.make_data(seed)
    X, y = np.asarray(data.X.tolist()), np.asarray(data.y.tolist())
    for zero_grad in (True, False):
        closed = gradient_descent(X, y, np.asarray(ref.W_INIT), ref.LR, ref.EPOCHS, zero_grad)
        assert closed == pytest.approx(ref.train(data, zero_grad=zero_grad), abs=1e-5)


def test_data_drawn_in_several_threads_at_once_are_each_their_seeds_data():
    """The grader draws each submission's fresh data in its own thread: no draw may disturb another."""
    from concurrent.futures import ThreadPoolExecutor

    seeds = list(range(1000, 1064))
    alone = {s: ref.make_data(s).y for s in seeds}
    with ThreadPoolExecutor(8) as pool:
        together = dict(zip(seeds, pool.map(lambda s: ref.make_data(s).y, seeds * 1)))
    assert all(torch.equal(alone[s], together[s]) for s in seeds)
