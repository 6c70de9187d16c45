"""Every notebook of the corpora (tests/slips_*.py, tests/organised_corpus.py) and the mutants,
assessed once per test run by the production path (judge.assess, in-process runner) and shared by
the tests that read them (test_corpus: codes and totals; test_claims: messages against the code).
Executed in this process's forks, two at a time: these notebooks are our own."""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import mutants
import organised_corpus
import slips_corpus
import slips_facts
import slips_heldout

CORPORA = {"corpus": slips_corpus, "held-out": slips_heldout, "facts": slips_facts, "organised": organised_corpus}


def slips(m) -> list:
    return getattr(m, "SLIPS", [])


# "corpus:name" → (corpus, case); "mutant:name" → ("mutant", name)
CASES = {f"{corpus}:{c.name}": (corpus, c) for corpus, m in CORPORA.items() for c in slips(m) + m.CORRECT}
CASES.update({f"mutant:{name}": ("mutant", name) for name in mutants.SUITE})


def notebook(key: str):
    corpus, case = CASES[key]
    return mutants.mutant(case) if corpus == "mutant" else CORPORA[corpus].notebook(case)


def assess_one(key: str) -> tuple[str, dict]:
    from conftest import assess_in_process

    verdict, runs = assess_in_process(notebook(key))
    records = verdict.records
    return key, {
        "score": sum(r.points for r in records),
        "hidden": {f"{r.question}:{r.check}": r.mistake and str(r.mistake) for r in records if r.hidden},
        "codes": {f"{r.question}:{r.check}{'' if r.hidden else ' (public)'}": str(r.mistake) for r in records if r.mistake},
        "said": [(r.question, r.check, r.hidden, str(r.mistake), dict(r.message)) for r in records if r.mistake],
        "cells": runs.cells,
        "errors": [(e.cell, e.type, e.message) for e in runs.official.errors],
    }


def assess_all(shared: Path) -> dict[str, dict]:
    """{key: what the tests read}, computed by the first test that asks (file-locked across xdist workers)."""
    from filelock import FileLock

    path = shared / "corpora-assessed.json"
    with FileLock(str(shared / "corpora-assessed.lock")):
        if not path.exists():
            with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork")) as pool:
                found = dict(pool.map(assess_one, sorted(CASES), chunksize=4))
            path.write_text(json.dumps(found, ensure_ascii=False))
    return json.loads(path.read_text())
