"""The names the catalogue and the questions share, as enums: a typo is an error at import, not a
recogniser that silently never fires. They are strings, so records and JSON carry them as before."""

from enum import StrEnum


class Kind(StrEnum):
    """What a graded quantity is: it decides which implied value (engine/own.py) and which
    recognisers (spec/mistakes.py) apply to it."""

    DATA = "data"
    YHAT = "yhat"
    LOSS = "loss"
    GRAD = "grad"
    UPDATE = "update"
    LOOP = "loop"
    HOMEWORK = "homework"
    ACCUMULATED = "accumulated"
    ZEROS = "zeros"


class Code(StrEnum):
    """A mistake the grader can name (the catalogue's keys)."""

    MISSING = "missing"
    NONE = "none"
    NO_BACKWARD = "no_backward"
    NOT_A_TENSOR = "not_a_tensor"
    DTYPE = "dtype"
    SHAPE = "shape"
    NAN = "nan"
    NO_REQUIRES_GRAD = "no_requires_grad"
    NOT_LINEAR = "not_linear"
    WRONG_BIAS = "wrong_bias"
    WRONG_OPTIMIZER = "wrong_optimizer"
    WEIGHTS_NOT_SET = "weights_not_set"
    BROADCAST = "broadcast"
    SUM_NOT_MEAN = "sum_not_mean"
    RMSE_NOT_MSE = "rmse_not_mse"
    SCALED_MSE = "scaled_mse"
    MAE_NOT_MSE = "mae_not_mse"
    HUBER_NOT_MSE = "huber_not_mse"
    GRAD_ACCUMULATED = "grad_accumulated"
    UPDATE_SIGN = "update_sign"
    NO_UPDATE = "no_update"
    WRONG_LR = "wrong_lr"
    STEP_TWICE = "step_twice"
    NO_ZERO_GRAD = "no_zero_grad"
    ZERO_GRAD_IN_HOMEWORK = "zero_grad_in_homework"
    WRONG_START = "wrong_start"
    OPTIMIZER_SETTINGS = "optimizer_settings"
    ZERO_GRAD_CANCELS_STEP = "zero_grad_cancels_step"
    WRONG_EPOCHS = "wrong_epochs"
    NOT_TRAINED = "not_trained"
    STEP_BEFORE_BACKWARD = "step_before_backward"
    CELL_RAISED = "cell_raised"
    CELL_SKIPPED = "cell_skipped"
    DATA_MISMATCH = "data_mismatch"
    INCONSISTENT = "inconsistent"
    WRONG_VALUE = "wrong_value"
    HARD_CODED = "hard_coded"
