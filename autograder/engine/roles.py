"""Find what a question grades by the role it plays, not by the template's name.

The loop questions grade the model their loop trained and the optimizer that stepped it; step 4
grades each model's optimizer. A student may keep them under other names, inside a container
module (nn.Sequential around the one linear layer), as attributes of an object, in a list or dict,
or as a function's return value assigned to a global. `Tracker` follows every nn.Linear reachable
from the notebook's globals after each cell, so a question can take:
- the model: the nn.Linear(2, 1, bias=False) whose weights changed since the check cell before
  (the template's name first when it is one of them; then a gradient the question's kind leaves:
  cleared for the loop, accumulated for the homework; then the one changed last);
- the optimizer: the one holding that model's weight, wherever it is reachable.
Nothing here calls a student's method: objects are read through their exact types and their
own attribute dicts, and the walk is bounded.
"""

from __future__ import annotations

from typing import Any

import torch

from autograder.spec.constants import W_INIT

_LINEAR, _MODULE, _OPTIMIZER, _TENSOR = torch.nn.Linear, torch.nn.Module, torch.optim.Optimizer, torch.Tensor
_GETATTR, _TYPE, _ISSUB, _ID = object.__getattribute__, type, issubclass, id
_TOLIST, _DETACH, _NUMEL = torch._C.TensorBase.tolist, torch._C.TensorBase.detach, torch._C.TensorBase.numel
_GRAD = torch._C.TensorBase.grad.__get__
_NO_OVERRIDES = torch._C.DisableTorchFunctionSubclass
MAX_VISITS = 4000
MAX_DEPTH = 4
MAX_ITEMS = 64


def _dict_of(obj) -> dict | None:
    try:
        d = _GETATTR(obj, "__dict__")
    except Exception:
        return None
    return d if _TYPE(d) is dict else None


def walk(env: dict[str, Any]):
    """(path, object) for every module and optimizer reachable from the globals, breadth first."""
    queue = [(name, value, 0) for name, value in list(dict.items(env)) if _TYPE(name) is str and not name.startswith("_")]
    seen: set[int] = set()
    visits = 0
    while queue and visits < MAX_VISITS:
        path, obj, depth = queue.pop(0)
        if _ID(obj) in seen:
            continue
        seen.add(_ID(obj))
        visits += 1
        kind = _TYPE(obj)
        if _ISSUB(kind, (_MODULE, _OPTIMIZER)):
            yield path, obj
        if depth >= MAX_DEPTH or _ISSUB(kind, (_TENSOR, str, bytes, int, float, type)):
            continue
        children: list = []
        if _ISSUB(kind, _MODULE):
            mods = _dict_of(obj) or {}
            children = [(f"{path}.{k}" if not k.isdigit() else f"{path}[{k}]", v)
                        for k, v in list((mods.get("_modules") or {}).items())[:MAX_ITEMS]]
        elif kind in (list, tuple):
            children = [(f"{path}[{i}]", v) for i, v in enumerate(obj[:MAX_ITEMS])]
        elif kind is dict:
            children = [(f"{path}[{k!r}]", v) for k, v in list(dict.items(obj))[:MAX_ITEMS] if _TYPE(k) in (str, int)]
        elif not _ISSUB(kind, _OPTIMIZER) and kind.__module__ not in ("builtins", "torch", "numpy") \
                and not kind.__module__.startswith(("torch.", "numpy.", "IPython", "autograder")):
            attrs = _dict_of(obj)
            if attrs is not None and not isinstance(obj, type):
                children = [(f"{path}.{k}", v) for k, v in list(attrs.items())[:MAX_ITEMS] if _TYPE(k) is str]
        queue.extend((p, v, depth + 1) for p, v in children)


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
    """Which linear models each cell changed, in one run (or one kernel)."""

    def __init__(self):
        self.models: dict[int, list] = {}  # id → [linear, path, values, cells where it changed]
        self.marks: list[tuple[str, int]] = []  # (question, index of the cell its snapshot followed)

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

    def model(self, env: dict[str, Any], question: str, template: str, index: int, accumulates: bool):
        """(path, linear, last cell that changed it) of the model this question's loop trained, or None."""
        start = max((i for q, i in self.marks if q != question and i < index), default=-1)
        changed = [e for e in self.models.values() if any(start < c <= index for c in e[3])]
        if not changed and question == "homework":  # both loops in one part, before the loop's check
            loop = next((e for e in self.models.values() if e[1] == getattr(self, "_loop_pick", None)), None)
            earlier = max((i for q, i in self.marks if q != question and i < start), default=-1)
            changed = [e for e in self.models.values() if any(earlier < c <= index for c in e[3]) and e is not loop]
        if not changed:
            return None
        by_name = {}
        for path, obj in walk(env):
            if _ISSUB(_TYPE(obj), _MODULE):
                lin = the_linear(obj)
                if lin is not None:
                    by_name.setdefault(_ID(lin), path)
        live = [e for e in changed if _ID(e[0]) in by_name]
        if not live:
            return None
        for e in live:
            e[1] = by_name[_ID(e[0])]

        def rank(e):
            """Trained (its weights left the start), then fits the loop's kind (a cleared gradient for
            the loop, an accumulated one for the homework), then the template's name, then the latest."""
            trained = e[2] is not None and any(abs(a - b) > 1e-6 for a, b in zip(e[2], W_INIT))
            template_name = e[1] == template or e[1].startswith(template + "[") or e[1].startswith(template + ".")
            cleared = _grad_size(e[0]) < 1e-2
            return (trained, cleared != accumulates, template_name, max(e[3]))

        pick = max(live, key=rank)
        if question == "loop":
            self._loop_pick = pick[1]
        return pick[1], pick[0], max(c for c in pick[3] if c <= index)

    def optimizer(self, env: dict[str, Any], params: list, template: str):
        """(path, optimizer) holding these parameters, the template's name first; None when none is reachable."""
        found = [(p, o) for p, o in walk(env) if _ISSUB(_TYPE(o), _OPTIMIZER) and holds(o, params)]
        return next((f for f in found if f[0] == template), found[0] if found else None)

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
    (spec/questions.Question.roles): MODEL, or the name of the model whose optimizer it is."""
    view: dict[str, Any] = {}
    found: dict[str, dict] = {}
    for name, role in roles:
        if role == MODEL:
            hit = tracker.model(env, question, name, index, accumulates=question == "homework")
            if hit is not None:
                view[name] = hit[1]
                found[name] = {"path": hit[0], "cell": hit[2]}
            continue
        model = view.get(role, dict.get(env, role))
        if model is not None and _ISSUB(_TYPE(model), _MODULE):
            model = the_linear(model) or model
        hit = tracker.optimizer(env, _parameters(model), name) if model is not None else None
        if hit is not None:
            view[name] = hit[1]
            if hit[0] != name:
                found[name] = {"path": hit[0]}
        elif role in found or (model is not None and name not in env):
            # the model is there (found by its role, or by its name), its optimizer nowhere in sight: a
            # function's local, or one name reused for every model's optimizer
            view[name] = UNSEEN
        else:
            mine = dict.get(env, name)
            if mine is not None and _ISSUB(_TYPE(mine), _OPTIMIZER):
                found[name] = {"path": name, "holds": tracker.holders(env, mine)}
    return view, found


MODEL = "model"


class _Unseen:
    """An optimizer that stepped a model found by its role but that is no longer reachable (a
    function's local): its settings cannot be read, only the weights it left."""


UNSEEN = _Unseen()
