"""The lecture's facts, each written once: the reference solution, the checks, the messages and the
reports all read them from here."""

ASSIGNMENT = "hw04"  # the assignment's name: its notebook, its Canvas column, its files in a student's zip
SEED = 202150754  # the data cell: torch.manual_seed(202150754)
N = 100  # observations
W_TRUE = (2.5, 4.0)  # (w0, w1) the data are drawn from
W_INIT = (-5.0, 10.0)  # (w0, w1) every model starts from
LR = 0.1  # the learning rate of every update
EPOCHS = 100  # the training loops

RTOL = ATOL = 1e-4  # how close a value must be (relative and absolute)
LOOP_TOL = 1e-3  # the same for the 100-epoch loops' final weights

MAX_ELEMENTS = 20_000  # numbers in one captured value: yhat has 100; anything far bigger is a mistake, not an answer


def pair(w: tuple[float, float]) -> str:
    """(w0, w1) as the prompts write it: (-5, 10)."""
    return f"({w[0]:g}, {w[1]:g})"
