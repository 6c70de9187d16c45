"""Hard-coding attacks: a student types the answers in instead of computing them.

The grader's defence (README, "Threat model") is the second run: every notebook runs again with
the data seed replaced by a fresh secret one, and a value earns its hidden points only if it is
right on both runs against the grader's own data. Each attack here starts from every graded
value typed in (`mutants.hard_coded()`, which alone scores 0) and adds one way to make the second
run see the official data again, so that the typed-in values look computed:

  typed_data_*     the official X, y, x typed back in as literal tensors;
  reseed_*         the data regenerated after the data check, with the official seed written
                   in a form the reseeder may not recognise (expression, string, exec, hex, ...);
  rng_state_*      the official random-number-generator state restored, then the data regenerated;
  second_run_*     the notebook notices it is the second run (builtins, files, the call stack,
                   the garbage collector, the data themselves) and restores the official data there only;
  solution_redraws_noise
                   not a blank notebook: the solution, with the noise drawn again after the data
                   check, so every value that uses y is computed on data that are not the lecture's;
  solution_with_*_typed_in
                   the solution with a few values typed in (the gradients, the loops' final
                   weights): those, and what is computed from them, earn nothing; the rest keeps its points.

ATTACKS maps a name to (the most the notebook may score, its builder); CONTROLS maps a name to
(the score it must get exactly, its builder). Builders return an nbformat notebook.

Every regeneration below is the data cell's own code (ones, x sorted, X, ϵ, y, in the same order
of random draws), so it reproduces the lecture's data exactly when seeded with the official seed.
Nothing here executes an attack: the tests grade them through the batch grader (sandboxed) and
`otter run`. Files an attack writes carry TOKEN in their names; `leftovers()` lists them.
"""

from __future__ import annotations

import copy
import functools
import glob
import os
import uuid
from typing import Callable

import mutants
import nbformat

SEED = 202150754
TOKEN = uuid.uuid4().hex[:12]  # new for every test session: a file left by an earlier session never matches
FILE = f"hw04-{TOKEN}.pt"  # torch.save refuses a name that starts with a dot

Builder = Callable[[], nbformat.NotebookNode]

# The data cell after its seed, verbatim (assignment/hw04.ipynb): the same draws in the same order.
REGENERATE = """n=100
ones= torch.ones(n)
x,_ = torch.randn(n).sort()
X = torch.vstack([ones,x]).T
W = torch.tensor([2.5,4])
ϵ = torch.randn(n)*0.5
y = X@W + ϵ"""


# --- building blocks ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _typed() -> nbformat.NotebookNode:
    return mutants.hard_coded()  # runs the solution once: cached


def typed() -> nbformat.NotebookNode:
    """The blank template with every graded value typed in (scores 0 on its own)."""
    return copy.deepcopy(_typed())


def blank() -> nbformat.NotebookNode:
    return nbformat.read(mutants.ROOT / "assignment" / "hw04.ipynb", as_version=4)


def _index(nb: nbformat.NotebookNode, marker: str) -> int:
    hits = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and marker in c.source]
    if not hits:
        raise ValueError(f"no code cell contains {marker!r}")
    return hits[0]


def after(nb: nbformat.NotebookNode, marker: str, code: str) -> nbformat.NotebookNode:
    """nb with a code cell inserted after the first code cell containing `marker`."""
    nb.cells.insert(_index(nb, marker) + 1, nbformat.v4.new_code_cell(code))
    return nb


def before_each_check(nb: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """nb with a code cell inserted before every grader.check cell but the data one."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("grader.check(") and "data" not in cell.source:
            cells.append(nbformat.v4.new_code_cell(code))
        cells.append(cell)
    nb.cells = cells
    return nb


def edit_data_cell(nb: nbformat.NotebookNode, old: str, new: str) -> nbformat.NotebookNode:
    cell = nb.cells[_index(nb, "torch.manual_seed(")]
    if cell.source.count(old) != 1:
        raise ValueError(f"{old!r} is not in the data cell exactly once")
    cell.source = cell.source.replace(old, new)
    return nb


AFTER_DATA_CHECK = 'grader.check("data")'


def regenerated(seeding: str, where: str = AFTER_DATA_CHECK) -> Builder:
    """Every value typed in, and the data drawn again after `where` once `seeding` has run."""
    return lambda: after(typed(), where, f"import torch\n{seeding}\n{REGENERATE}")


# --- the official data, typed in ---------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def official_data() -> dict[str, list]:
    """x, X, y of the lecture's data as Python floats (each exactly a float32)."""
    from solutions import reference

    data = reference.make_data(SEED)
    return {"x": data.x.tolist(), "X": data.X.tolist(), "y": data.y.tolist()}


def _floats(values) -> str:
    if isinstance(values[0], list):
        return "[" + ", ".join(_floats(v) for v in values) + "]"
    return "[" + ", ".join(repr(v) for v in values) + "]"


def typed_data() -> str:
    """A cell that types the official data back in, at full float32 precision."""
    d = official_data()
    return ("import torch\n# 데이터 / the data\n"
            f"x = torch.tensor({_floats(d['x'])})\n"
            f"X = torch.tensor({_floats(d['X'])})\n"
            f"y = torch.tensor({_floats(d['y'])})")


@functools.lru_cache(maxsize=1)
def official_rng_state_hex() -> str:
    """torch's CPU generator state right after manual_seed(SEED), as hex (computed without touching
    this process's global generator)."""
    import torch

    return bytes(torch.Generator().manual_seed(SEED).get_state().tolist()).hex()


# --- 1. the official data typed in at each question --------------------------------------------

def typed_data_at_each_question() -> nbformat.NotebookNode:
    return before_each_check(typed(), typed_data())


# --- 2. the data regenerated with the official seed, written so the reseeder may miss it --------

# a literal the reseeder must not miss, in a cell after the data check (here: just before method1's check)
LATER_CELL = regenerated("torch.manual_seed(202150754)", where="yhat1 = torch.tensor(")

RESEEDS: dict[str, Builder] = {
    "reseed_expression": regenerated("torch.manual_seed(202150000 + 754)"),
    "reseed_string": regenerated('torch.manual_seed(int("2021507" + "54"))'),
    "reseed_exec_concatenated": regenerated('exec("torch.manual_seed(" + "2021507" + "54)")'),
    "reseed_literal_in_a_later_cell": LATER_CELL,
    "reseed_hex_literal": regenerated(f"torch.manual_seed({hex(SEED)})"),
    "reseed_underscore_literal": regenerated("torch.manual_seed(202_150_754)"),
    "reseed_float_literal": regenerated("torch.manual_seed(int(2.02150754e8))"),
    # the seed kept in a variable at the top of the data cell, used again after the data check
    "reseed_variable_literal": lambda: after(
        edit_data_cell(typed(), "torch.manual_seed(", "s = 202150754\ntorch.manual_seed("),
        AFTER_DATA_CHECK, f"import torch\ntorch.manual_seed(s)\n{REGENERATE}"),
    "reseed_variable_sum": lambda: after(
        edit_data_cell(typed(), "torch.manual_seed(", "s = 202150753 + 1\ntorch.manual_seed("),
        AFTER_DATA_CHECK, f"import torch\ntorch.manual_seed(s)\n{REGENERATE}"),
    # a generator of one's own: the literal is an argument of a manual_seed( call, so it is replaced
    "generator_object": lambda: after(typed(), AFTER_DATA_CHECK, "\n".join([
        "import torch",
        "g = torch.Generator().manual_seed(202150754)",
        REGENERATE.replace("torch.randn(n)", "torch.randn(n, generator=g)"),
    ])),
    # the generator's state right after the official manual_seed, typed in (a string: no seed in sight)
    "rng_state_typed_in": lambda: after(typed(), AFTER_DATA_CHECK, "\n".join([
        "import torch",
        f'state = torch.tensor(list(bytes.fromhex("{official_rng_state_hex()}")), dtype=torch.uint8)',
        "torch.random.set_rng_state(state)",
        REGENERATE,
    ])),
    # the state saved in the data cell right after its manual_seed; the first run's is kept in
    # builtins (setdefault), so the second run restores the official state, not its own
    "rng_state_kept_in_builtins": lambda: after(
        edit_data_cell(typed(), "n=100", "import builtins\n"
                       "state = builtins.__dict__.setdefault('_hw04_state', torch.random.get_rng_state())\nn=100"),
        AFTER_DATA_CHECK, f"import torch\ntorch.random.set_rng_state(state)\n{REGENERATE}"),
}


# --- 3. the second run detected, the official data restored there only --------------------------

def _stash_in_file(path: str) -> str:
    """First run: save the (official) data to `path`. Second run: the file is there: load it back."""
    return f"""import os, torch
path = {path}
if os.path.exists(path):  # 두 번째 실행 / the second run: put the first run's data back
    x, X, y = torch.load(path)
    os.remove(path)
    print("restored the official data from", path)
else:
    try:
        torch.save((x, X, y), path)
    except OSError:
        pass"""


BUILTINS_FLAG = """import builtins
if hasattr(builtins, "_hw04_data"):  # the second run: the first one left its data here
    x, X, y = builtins._hw04_data
    print("restored the official data from builtins")
else:
    builtins._hw04_data = (x, X, y)"""

FRAMES = """import sys

def _second_run():
    \"\"\"Walk up the call stack into the grader: the cells it runs (a list of sources) show the seed
    of this run; a run-number local says it outright.\"\"\"
    official = str(202150753 + 1)
    frame = sys._getframe()
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if name in ("number", "run", "run_number") and isinstance(value, int) and "job" in frame.f_locals:
                return value > 0
            if isinstance(value, list) and value and all(isinstance(s, str) for s in value):
                data_cell = next((s for s in value if "manual_seed(" in s), None)
                if data_cell is not None:
                    return official not in data_cell
        frame = frame.f_back
    return False

if _second_run():
{restore}"""

GC = """import gc

def _second_run():
    \"\"\"Find the grader's jobs (dicts with the runs in them) among all live objects and mark them:
    a job already marked means this is the second run in the same process.\"\"\"
    seen = False
    for obj in gc.get_objects():
        if type(obj) is dict and isinstance(obj.get("runs"), list) and len(obj["runs"]) >= 2:
            seen = seen or obj.get("_hw04_seen", False)
            obj["_hw04_seen"] = True
    return seen

if _second_run():
{restore}"""

DATA_VALUES = """# 주어진 데이터가 아니면 되돌리기 / not the data I was given: put them back
if abs(float(X[0, 1]) - ({x0!r})) > 1e-6:
{restore}"""

INITIAL_SEED = """import torch
if torch.initial_seed() != 202150753 + 1:  # someone changed the seed
{restore}"""


def _restore_typed() -> str:
    body = typed_data() + '\nprint("restored the official data")'
    return "\n".join("    " + line for line in body.split("\n"))


def detected(template: str, **extra) -> Builder:
    return lambda: after(typed(), AFTER_DATA_CHECK, template.format(restore=_restore_typed(), **extra))


SECOND_RUN: dict[str, Builder] = {
    "second_run_flag_in_builtins": lambda: after(typed(), AFTER_DATA_CHECK, BUILTINS_FLAG),
    "second_run_file_in_cwd": lambda: after(typed(), AFTER_DATA_CHECK, _stash_in_file(repr(FILE))),
    "second_run_file_in_home": lambda: after(typed(), AFTER_DATA_CHECK,
                                             _stash_in_file(f'os.path.join(os.path.expanduser("~"), {FILE!r})')),
    "second_run_file_in_tmp": lambda: after(typed(), AFTER_DATA_CHECK, _stash_in_file(repr(f"/tmp/{FILE}"))),
    "second_run_file_in_dev_shm": lambda: after(typed(), AFTER_DATA_CHECK, _stash_in_file(repr(f"/dev/shm/{FILE}"))),
    "second_run_call_stack": detected(FRAMES),
    "second_run_gc_objects": detected(GC),
    "second_run_data_values": lambda: detected(DATA_VALUES, x0=official_data()["x"][0])(),
    "second_run_initial_seed": detected(INITIAL_SEED),
}


# --- 4. the solution, with the noise drawn again after the data check --------------------------

def solution_redraws_noise() -> nbformat.NotebookNode:
    return mutants.with_cell("ϵ = torch.randn(n)*0.5\ny = X@W + ϵ", after=AFTER_DATA_CHECK)


# yhat1..yhat6 use X only: 6 × 2 points. Every other scored value uses y.
REDRAWN_NOISE_KEEPS = 12.0


# --- 5. part of the solution typed in: only what was computed earns ------------------------------

def typed_lines(question: str, contains: str) -> list[str]:
    """Lines of the typed-in cell that `typed()` puts before grader.check(question)."""
    nb = _typed()
    cell = nb.cells[_index(nb, f'grader.check("{question}")') - 1]
    return [line for line in cell.source.split("\n") if contains in line]


def solution_with_gradients_typed_in() -> nbformat.NotebookNode:
    """No backward(): the six gradients typed in from someone's output. The updates are then computed
    from typed-in gradients, so step3 (12) and step4 (12) earn nothing; the rest is the solution's."""
    from autograder.spec.questions import MODEL

    nb = mutants.mutant("solution")
    grads = typed_lines("step3", ".grad = ")
    for m, model in MODEL.items():
        cell = nb.cells[_index(nb, f"loss{m}.backward()")]
        typed_in = "\n".join(line for line in grads if line.startswith(model + "."))
        cell.source = cell.source.replace(f"loss{m}.backward()", typed_in)
    return nb


def solution_with_final_weights_typed_in() -> nbformat.NotebookNode:
    """The two training loops run, then their final weights overwritten with the lecture's results:
    the loop (6) and the homework (6) earn nothing."""
    nb = mutants.mutant("solution")
    for question in ("loop", "homework"):
        weights = typed_lines(question, "net.weight.data = ")
        nb.cells.insert(_index(nb, f'grader.check("{question}")'), nbformat.v4.new_code_cell("\n".join(weights)))
    return nb


# --- the corpus --------------------------------------------------------------------------------

ATTACKS: dict[str, tuple[float, Builder]] = {
    "hard_coded": (0.0, typed),
    "typed_data_at_each_question": (0.0, typed_data_at_each_question),
    **{name: (0.0, build) for name, build in RESEEDS.items()},
    **{name: (0.0, build) for name, build in SECOND_RUN.items()},
    "solution_redraws_noise": (REDRAWN_NOISE_KEEPS, solution_redraws_noise),
    "solution_with_gradients_typed_in": (60.0 - 12 - 12, solution_with_gradients_typed_in),
    "solution_with_final_weights_typed_in": (60.0 - 6 - 6, solution_with_final_weights_typed_in),
}


def _example(name: str) -> Builder:
    return lambda: nbformat.read(mutants.ROOT / "examples" / "submissions" / f"{name}.ipynb", as_version=4)


CONTROLS: dict[str, tuple[float, Builder]] = {
    "control_solution": (60.0, lambda: mutants.mutant("solution")),
    "control_lecture": (60.0, _example("lecture")),
    "control_blank": (0.0, blank),
}


def write_all(folder, names: list[str] | None = None) -> list:
    """Every attack and control (or those named) as folder/<name>.ipynb; their paths."""
    corpus = {**ATTACKS, **CONTROLS}
    paths = []
    for name in corpus if names is None else names:
        path = folder / f"{name}.ipynb"
        nbformat.write(corpus[name][1](), path)
        paths.append(path)
    return paths


def leftovers() -> list[str]:
    """Files this session's attacks left outside a sandbox (only possible without bubblewrap)."""
    return [p for d in ("/tmp", "/dev/shm") for p in glob.glob(os.path.join(d, FILE))]
