"""Find what a question grades by the role it plays, not by the template's name.

The loop questions grade the model their loop trained and the optimizer that stepped it; step 4
grades each model's optimizer. A student may keep them under other names, inside a container
module (nn.Sequential around the one linear layer), as attributes of an object, in a list or dict,
or as a function's return value assigned to a global. `Tracker` follows every nn.Linear reachable
from the notebook's globals after each cell, so a question can take:
- the model: an nn.Linear(2, 1, bias=False) whose weights changed since the check cell before
  (trained first; then one whose gradient fits the question's kind: cleared for the loop,
  accumulated for the homework; then the template's name; then the first changed), with up to
  three others that the judge grades when the likeliest one fails;
- the optimizer: a reachable one holding that model's weight, else the one whose step() last
  moved it (a hook on every optimizer's step keeps it, though no name holds it any more).
Nothing here calls a student's method: objects are read through their exact types and their
own attribute dicts (never a `__dict__` a student's class defines), and the walk is bounded.
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Any

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

from autograder.spec.constants import W_INIT
from autograder.spec.questions import ALTERNATES

_LINEAR, _MODULE, _OPTIMIZER, _TENSOR = torch.nn.Linear, torch.nn.Module, torch.optim.Optimizer, torch.Tensor
_GETATTR, _TYPE, _ISSUB, _ID = object.__getattribute__, type, issubclass, id
_TOLIST, _DETACH, _NUMEL = torch._C.TensorBase.tolist, torch._C.TensorBase.detach, torch._C.TensorBase.numel
_GRAD = torch._C.TensorBase.grad.__get__
_NO_OVERRIDES = torch._C.DisableTorchFunctionSubclass
MAX_VISITS = 4000
MAX_DEPTH = 4
MAX_ITEMS = 64
MAX_GLOBALS = 2000
_GETSET = type(type.__dict__["__dict__"])  # the C descriptor of a plain instance's __dict__
_TYPE_DICT = type.__dict__["__dict__"].__get__
_KEYS = (str, int, float, bool)


def _dict_of(obj) -> dict | None:
    """An object's own attribute dict, or None; never through a `__dict__` a student's class defines."""
    try:
        kind = _TYPE(obj)
        for klass in kind.__mro__:
            found = _TYPE_DICT(klass).get("__dict__")
            if found is not None:
                if _TYPE(found) is not _GETSET:
                    return None
                break
        d = _GETATTR(obj, "__dict__")
    except BaseException:  # noqa: BLE001 - whatever a student's object does, it is not walked
        return None
    return d if _TYPE(d) is dict else None


def _key(k) -> str:
    return repr(k) if _TYPE(k) in _KEYS else f"<{_TYPE(k).__name__}>"


def _children(path: str, obj, kind) -> list:
    """What the walk looks into: a module's submodules, the items of lists, tuples and dicts (their
    subclasses too: namedtuples, defaultdicts), the attributes of a student's objects and classes."""
    if _ISSUB(kind, _MODULE):
        mods = (_dict_of(obj) or {}).get("_modules") or {}
        return [(f"{path}.{k}" if not str(k).isdigit() else f"{path}[{k}]", v)
                for k, v in islice(dict.items(mods), MAX_ITEMS)] if _ISSUB(_TYPE(mods), dict) else []
    if _ISSUB(kind, (list, tuple)):
        items = list.__iter__(obj) if _ISSUB(kind, list) else tuple.__iter__(obj)
        return [(f"{path}[{i}]", v) for i, v in zip(range(MAX_ITEMS), items)]
    if _ISSUB(kind, dict):
        return [(f"{path}[{_key(k)}]", v) for k, v in islice(dict.items(obj), MAX_ITEMS)]
    if kind is type and _TYPE_DICT(obj).get("__module__") == "__main__":  # a class the student wrote: its attributes
        return [(f"{path}.{k}", v) for k, v in islice(_TYPE_DICT(obj).items(), MAX_ITEMS) if not k.startswith("__")]
    if _ISSUB(kind, _OPTIMIZER) or kind.__module__.startswith(("builtins", "torch", "numpy", "IPython", "autograder")):
        return []
    attrs = _dict_of(obj)
    return [(f"{path}.{k}", v) for k, v in islice(dict.items(attrs), MAX_ITEMS) if _TYPE(k) is str] if attrs else []


def walk(env: dict[str, Any]):
    """(path, object) for every module and optimizer reachable from the globals, breadth first, bounded."""
    names = [(n, v) for n, v in zip(range(MAX_GLOBALS), dict.items(env)) if _TYPE(v[0]) is str]
    queue = deque((name, value, 0) for _, (name, value) in names if not name.startswith("__"))
    seen: set[int] = set()
    visits = 0
    while queue and visits < MAX_VISITS:
        path, obj, depth = queue.popleft()
        if _ID(obj) in seen:
            continue
        seen.add(_ID(obj))
        visits += 1
        kind = _TYPE(obj)
        if _ISSUB(kind, (_MODULE, _OPTIMIZER)):
            yield path, obj
        if depth >= MAX_DEPTH or _ISSUB(kind, (_TENSOR, str, bytes, int, float)):
            continue
        queue.extend((p, v, depth + 1) for p, v in _children(path, obj, kind))


def the_linear(module) -> Any | None:
    """The nn.Linear(2, 1, bias=False) a model is: itself, or the only module with parameters in a
    container (nn.Sequential or a class of the student's) that holds no other parameters."""
    found, stack, n = [], [module], 0
    while stack and n < 64:
        m = stack.pop()
        n += 1
        d = _dict_of(m) or {}
        if _TYPE(m) is _LINEAR:
            found.append(m)
        elif any(p is not None for p in (d.get("_parameters") or {}).values()):
            return None
        stack.extend(v for v in (d.get("_modules") or {}).values() if v is not None and _ISSUB(_TYPE(v), _MODULE))
    if len(found) != 1:
        return None
    lin = found[0]
    d = _dict_of(lin) or {}
    params = d.get("_parameters") or {}
    if d.get("in_features") != 2 or d.get("out_features") != 1 or params.get("bias") is not None:
        return None
    return lin


def _weight(lin):
    return (_dict_of(lin) or {}).get("_parameters", {}).get("weight")


def _flat(values) -> list:
    return [v for part in values for v in _flat(part)] if _TYPE(values) is list else [values]


def _values(lin) -> tuple | None:
    w = _weight(lin)
    if w is None:
        return None
    with _NO_OVERRIDES():
        return tuple(_flat(_TOLIST(_DETACH(w)))) if _NUMEL(w) <= 4 else None


def _grad_size(lin) -> float:
    w = _weight(lin)
    with _NO_OVERRIDES():
        g = _GRAD(w) if w is not None else None
        return 0.0 if g is None or _NUMEL(g) > 4 else max((abs(v) for v in _flat(_TOLIST(_DETACH(g)))), default=0.0)


def holds(optimizer, params: list) -> bool:
    ids = {_ID(p) for p in params if p is not None}
    try:
        groups = _GETATTR(optimizer, "param_groups")
        return any(_ID(p) in ids for g in groups for p in g.get("params", ()))
    except Exception:
        return False


class Tracker:
    """Which linear models each cell changed, and which optimizer last stepped each parameter, in one
    run (or one kernel). `close()` takes its hook off torch's optimizers."""

    def __init__(self):
        self.models: dict[int, list] = {}  # id → [linear, path, values, cells where it changed]
        self.marks: list[tuple[str, int]] = []  # (question, index of the cell its snapshot followed)
        self.stepped: dict[int, tuple] = {}  # id(parameter) → (parameter, the optimizer whose step() last moved it)
        self._loop_pick = None
        self._hook = register_optimizer_step_post_hook(self._after_step)

    def _after_step(self, optimizer, args, kwargs) -> None:
        """Every optimizer's step(), wherever it lives: an optimizer that is gone (a function's local,
        a name reused) is still the one that stepped its parameters, and it is kept for its settings."""
        try:
            for group in _GETATTR(optimizer, "param_groups")[:16]:
                for p in list(group.get("params", ()))[:16]:
                    self.stepped[_ID(p)] = (p, optimizer)
        except BaseException:  # noqa: BLE001 - an optimizer that cannot be read is not remembered
            pass

    def close(self) -> None:
        self._hook.remove()

    def after_cell(self, env: dict[str, Any], index: int) -> None:
        for path, obj in walk(env):
            lin = the_linear(obj) if _ISSUB(_TYPE(obj), _MODULE) else None
            if lin is None:
                continue
            values = _values(lin)
            entry = self.models.get(_ID(lin))
            if entry is None:
                self.models[_ID(lin)] = [lin, path, values, [index]]
            elif entry[2] != values:
                entry[2] = values
                entry[3].append(index)

    def models_for(self, env: dict[str, Any], question: str, template: str, index: int, accumulates: bool) -> list:
        """[(path, linear, last cell that changed it)] of the models this question's loop may have
        trained, the likeliest first: every linear model that changed since the previous question's check."""
        start = max((i for q, i in self.marks if q != question and i < index), default=-1)
        changed = [e for e in self.models.values() if any(start < c <= index for c in e[3])]
        if not changed and question == "homework":  # both loops in one part, before the loop's check
            earlier = max((i for q, i in self.marks if q != question and i < start), default=-1)
            changed = [e for e in self.models.values() if any(earlier < c <= index for c in e[3])
                       and e[0] is not self._loop_pick]
        by_name = {}
        for path, obj in walk(env):
            if _ISSUB(_TYPE(obj), _MODULE):
                lin = the_linear(obj)
                if lin is not None:
                    by_name.setdefault(_ID(lin), path)
        live = [e for e in changed if _ID(e[0]) in by_name]
        for e in live:
            e[1] = by_name[_ID(e[0])]

        def rank(e):
            """Trained (its weights left the start), then fits the loop's kind (a cleared gradient for
            the loop, an accumulated one for the homework), then the template's name, then the first
            changed (what follows an answer in the same part is more often an experiment)."""
            trained = e[2] is not None and any(abs(a - b) > 1e-6 for a, b in zip(e[2], W_INIT))
            template_name = e[1] == template or e[1].startswith(template + "[") or e[1].startswith(template + ".")
            cleared = _grad_size(e[0]) < 1e-2
            return (trained, cleared != accumulates, template_name, -max(c for c in e[3] if c <= index))

        ranked = sorted(live, key=rank, reverse=True)
        if question == "loop" and ranked:
            self._loop_pick = ranked[0][0]
        return [(e[1], e[0], max(c for c in e[3] if c <= index)) for e in ranked]

    def optimizer(self, env: dict[str, Any], params: list, template: str):
        """(path, optimizer) for these parameters: a reachable one holding them (the template's name
        first), else the one whose step() last moved them, kept though no name holds it any more."""
        found = [(p, o) for p, o in walk(env) if _ISSUB(_TYPE(o), _OPTIMIZER) and holds(o, params)]
        hit = next((f for f in found if f[0] == template), found[0] if found else None)
        if hit is None:
            steps = [self.stepped[_ID(p)] for p in params if _ID(p) in self.stepped and self.stepped[_ID(p)][0] is p]
            if steps:
                hit = (f"{_TYPE(steps[0][1]).__name__}(…)", steps[0][1])
        return hit

    def holders(self, env: dict[str, Any], optimizer) -> list[str]:
        """The paths of the reachable models whose parameters this optimizer holds."""
        out = []
        for path, obj in walk(env):
            if _ISSUB(_TYPE(obj), _MODULE) and _TYPE(obj) is _LINEAR:
                params = list(((_dict_of(obj) or {}).get("_parameters") or {}).values())
                if holds(optimizer, params):
                    out.append(path)
        return out[:4]


def _parameters(obj) -> list:
    if obj is None:
        return []
    if _ISSUB(_TYPE(obj), _TENSOR):
        return [obj]
    if _ISSUB(_TYPE(obj), _MODULE):
        return [p for p in ((_dict_of(obj) or {}).get("_parameters") or {}).values() if p is not None]
    return []




def resolve(roles, env: dict[str, Any], tracker: Tracker, question: str, index: int) -> tuple[dict, dict]:
    """({name: object playing its role}, {name: where it was found}) for a question's roles
    (spec/questions.Question.roles): MODEL, or the name of the model whose optimizer it is. A model
    role also gives `name@1`.. `name@3`: the next likeliest models (and `optimizer@k` their optimizers)."""
    view: dict[str, Any] = {}
    found: dict[str, dict] = {}
    for name, role in roles:
        if role == MODEL:
            ranked = tracker.models_for(env, question, name, index, accumulates=question == "homework")
            for k, (path, lin, cell) in enumerate(ranked[:1 + ALTERNATES]):
                key = name if k == 0 else f"{name}@{k}"
                view[key], found[key] = lin, {"path": path, "cell": cell}
            continue
        for suffix in [""] + [f"@{k}" for k in range(1, 1 + ALTERNATES) if f"{role}@{k}" in view]:
            model = view.get(role + suffix, dict.get(env, role) if not suffix else None)
            if model is not None and _ISSUB(_TYPE(model), _MODULE):
                model = the_linear(model) or model
            hit = tracker.optimizer(env, _parameters(model), name) if model is not None else None
            if hit is not None:
                view[name + suffix] = hit[1]
                if hit[0] != name or suffix:
                    found[name + suffix] = {"path": hit[0]}
            elif not suffix:
                mine = dict.get(env, name)
                if mine is not None and _ISSUB(_TYPE(mine), _OPTIMIZER):
                    found[name] = {"path": name, "holds": tracker.holders(env, mine)}
    return view, found


MODEL = "model"
