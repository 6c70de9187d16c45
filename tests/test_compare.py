"""Values from anywhere: the layouts students really write are accepted, the rest refused with a reason."""

import math

import numpy as np
import pytest
import torch

from autograder.engine.capture import capture_value
from autograder.engine.compare import Refusal, close, lookup, to_array


def arr(value, layout):
    return to_array(capture_value(value), layout)


@pytest.mark.parametrize("loss", [torch.tensor(110.0313), 110.0313, torch.tensor([110.0313]), torch.tensor([[110.0313]]),
                                  torch.tensor(110.0313, dtype=torch.float64), torch.tensor(110.0313, requires_grad=True) * 1])
def test_a_loss_in_any_scalar_form(loss):
    assert close(arr(loss, "scalar"), 110.0313)


@pytest.mark.parametrize("w", [torch.tensor([-5.0, 10.0]), torch.tensor([[-5.0, 10.0]]), torch.tensor([[-5.0], [10.0]]),
                               torch.tensor([-5.0, 10.0], dtype=torch.float64)])
def test_weights_in_any_layout_with_the_lectures_meaning(w):
    assert close(arr(w, "pair"), [-5.0, 10.0])


def test_a_bias_of_shape_1_1_is_as_good_as_1():
    assert close(arr(torch.tensor([[-5.0]]), "one"), [-5.0])
    assert close(arr(torch.tensor([-5.0]), "one"), [-5.0])


def test_an_nn_linear_reads_as_w0_w1():
    net = torch.nn.Linear(1, 1)
    net.weight.data, net.bias.data = torch.tensor([[10.0]]), torch.tensor([[-5.0]])
    assert close(arr(net, "pair"), [-5.0, 10.0])
    net2 = torch.nn.Linear(2, 1, bias=False)
    net2.weight.data = torch.tensor([[-5.0, 10.0]])
    assert close(arr(net2, "pair"), [-5.0, 10.0])


@pytest.mark.parametrize(
    "value, layout, reason",
    [
        (torch.zeros(100, 100), "scalar", "shape"),
        (torch.tensor([1.0, 2.0, 3.0]), "pair", "shape"),
        (torch.zeros(100), "column", "shape"),
        (torch.tensor(float("nan")), "scalar", "nan"),
        (torch.tensor([math.inf, 1.0]), "pair", "nan"),
        ("110.03", "scalar", "type"),
        ({"a": 1}, "scalar", "type"),
        (Ellipsis, "scalar", "blank"),
        (None, "scalar", "none"),
        (torch.zeros(300, 300), "column", "shape"),
        (torch.tensor([-5, 10]), "pair", "dtype"),
        ([-5.0, 10.0], "pair", "type"),
        (np.array([-5.0, 10.0]), "pair", "type"),
        (torch.nn.Linear(2, 1, bias=True), "pair", "structure"),
    ],
)
def test_refusals_say_why(value, layout, reason):
    got = arr(value, layout)
    assert isinstance(got, Refusal) and got.reason == reason


def test_capture_is_plain_data_and_follows_paths():
    import json

    net = torch.nn.Linear(1, 1)
    net(torch.ones(3, 1)).sum().backward()
    snap = {"net3": capture_value(net), "opt": capture_value(torch.optim.SGD(net.parameters(), lr=0.1))}
    json.dumps(snap)  # nothing but JSON types
    assert lookup(snap, "net3.bias.grad")["values"] == [3.0]
    assert lookup(snap, "net3.weight")["shape"] == [1, 1]
    assert snap["opt"]["groups"][0]["lr"] == pytest.approx(0.1)
    assert lookup(snap, "nothing.grad")["kind"] == "missing"
    assert lookup({"w": capture_value(torch.zeros(2, requires_grad=True))}, "w.grad")["kind"] == "none"


def test_capture_reads_through_a_lying_subclass():
    class Liar(torch.Tensor):
        def tolist(self):
            return [110.0313]

        def __float__(self):
            return 110.0313

    liar = torch.tensor(1.0).as_subclass(Liar)
    assert close(arr(liar, "scalar"), 1.0)


def test_capture_ignores_torch_function_overrides_and_patched_torch(monkeypatch):
    class Liar(torch.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return [110.0313] if "tolist" in getattr(func, "__name__", "") else super().__torch_function__(
                func, types, args, kwargs or {})

    liar = torch.tensor(1.0).as_subclass(Liar)
    monkeypatch.setattr(torch.Tensor, "tolist", lambda self: [110.0313])
    monkeypatch.setattr(torch.Tensor, "detach", lambda self: torch.tensor(110.0313))
    value = capture_value(liar)
    assert close(to_array(value, "scalar"), 1.0) and value["subclass"].endswith("Liar")


def test_a_module_pretending_to_be_linear_is_not_one():
    class Fake(torch.nn.Module):
        in_features, out_features = 2, 1

    assert capture_value(Fake())["type"].endswith("Fake")
    assert isinstance(to_array(capture_value(Fake()), "pair"), Refusal)
