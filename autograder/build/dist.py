"""Build what ships: dist/student (notebook, public tests, their check engine, a zip to hand
out) and dist/autograder.zip (otter generate: hidden tests, reference, pinned requirements).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import nbformat

from autograder.build.template import student_notebook
from autograder.otter.plugin import PLUGIN_NAME as PLUGIN
from autograder.otter.plugin import visibility
from autograder.otter.test_files import write_tests

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "hw04.ipynb"
TEMPLATE = ROOT / "assignment" / NOTEBOOK
SOLUTION = ROOT / "solutions" / "hw04_solution.ipynb"
REQUIREMENTS = ROOT / "autograder" / "requirements-gradescope.txt"
PYTHON_VERSION = "3.11"

# What the public tests import inside the student's kernel: the homework as data and the check
# engine, whole. Neither holds a reference value or imports grading-side code (a test checks it):
# expected values come from autograder/judge/, which only the grading side has.
STUDENT_PACKAGES = ["spec", "engine"]
GRADING_FILES = ["autograder", "solutions/__init__.py", "solutions/reference.py", "pyproject.toml"]


def check_template_in_sync() -> None:
    """assignment/hw04.ipynb must be exactly what the solved notebook strips down to."""
    want = student_notebook(nbformat.read(SOLUTION, as_version=4))
    have = nbformat.read(TEMPLATE, as_version=4)
    if [(c.cell_type, c.source) for c in want.cells] != [(c.cell_type, c.source) for c in have.cells]:
        raise SystemExit(
            f"{TEMPLATE.relative_to(ROOT)} is out of date with {SOLUTION.relative_to(ROOT)}: "
            "run `python -m autograder template` after editing the solution."
        )


def write_template() -> Path:
    nbformat.write(student_notebook(nbformat.read(SOLUTION, as_version=4)), TEMPLATE)
    return TEMPLATE


def _copy_packages(dest: Path, names: list[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "autograder" / "__init__.py", dest / "__init__.py")
    for name in names:
        shutil.copytree(ROOT / "autograder" / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def build_student(dist: Path) -> Path:
    out = dist / "student"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy2(TEMPLATE, out / NOTEBOOK)
    write_tests(out / "tests", with_hidden=False)
    _copy_packages(out / "autograder", STUDENT_PACKAGES)
    with zipfile.ZipFile(out / "hw04_student.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file() and path.suffix != ".zip":
                zf.write(path, path.relative_to(out))
    return out




def build_autograder(dist: Path, limits: dict | None = None, plain: bool = False) -> Path:
    """`limits` (e.g. {"timeout": 30}) are written into the zip's otter_config.json for the plugin.
    `plain`: dist/autograder-plain.zip, plain otter without the plugin (the hidden cases run in the
    student's kernel): only the benchmark's baseline for the Gradescope path, never shipped."""
    from otter.generate import main as otter_generate

    config = json.loads((ROOT / "otter_config.json").read_text(encoding="utf-8"))
    plugins = [p if isinstance(p, dict) else {p: {}} for p in config.get("plugins", [])]
    if not any(PLUGIN in p for p in plugins):
        raise SystemExit(f"otter_config.json must name the plugin {PLUGIN}: the zip's test cases only fail closed")
    try:  # a setting Gradescope would only reject when grading, a student's submission at a time
        visibility(next(p[PLUGIN] for p in plugins if PLUGIN in p))
    except ValueError as e:
        raise SystemExit(str(e)) from None
    stage = dist / ("autograder-plain-src" if plain else "autograder-src")
    shutil.rmtree(stage, ignore_errors=True)
    write_tests(stage / "tests", with_hidden=True, by_plugin=not plain)
    shutil.copytree(ROOT / "autograder", stage / "autograder", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (stage / "solutions").mkdir()
    for name in ("__init__.py", "reference.py"):
        shutil.copy2(ROOT / "solutions" / name, stage / "solutions" / name)
    if limits:
        config["plugins"] = [{PLUGIN: {**(p[PLUGIN] or {}), **limits}} if PLUGIN in p else p for p in plugins]
    if plain:
        config["plugins"] = [p for p in plugins if PLUGIN not in p]
    (stage / "otter_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    shutil.copy2(ROOT / "pyproject.toml", stage / "pyproject.toml")
    shutil.copy2(REQUIREMENTS, stage / "requirements.txt")
    out = (dist / ("autograder-plain.zip" if plain else "autograder.zip")).resolve()
    with _chdir(stage):
        otter_generate(
            tests_dir="tests",
            output_path=str(out),
            config="otter_config.json",
            requirements="requirements.txt",
            no_environment=True,
            files=GRADING_FILES,
            python_version=PYTHON_VERSION,
        )
    _replace_in_zip(out, "run_otter.py", RUN_OTTER)
    with zipfile.ZipFile(out) as zf:
        setup = zf.read("setup.sh").decode()
    _replace_in_zip(out, "setup.sh", gradescope_setup(setup))
    return out


PDF_ONLY = 'mamba run -n otter-env bash -c "playwright install-deps && playwright install chromium"'
PDF_TEST = "cat /autograder/source/otter_config.json | jq -e '[.pdf, .token] | any'"


def gradescope_setup(setup: str) -> str:
    """otter's setup.sh, installing only what this zip uses: the browser (playwright's chromium) only
    when the written question is turned into a PDF (`pdf` or `token` in otter_config.json), and
    bubblewrap, the sandbox each run starts in where the image lets it make namespaces (else the
    worker says so and the unprivileged user applies: README, Gradescope)."""
    if PDF_ONLY not in setup or "apt-get install -y wget" not in setup:
        raise SystemExit("otter's setup.sh changed: update autograder/build/dist.py:gradescope_setup")
    setup = setup.replace(PDF_ONLY, f"if {PDF_TEST}; then\n    {PDF_ONLY}\nfi")
    return setup.replace("apt-get install -y wget", "apt-get install -y bubblewrap wget", 1)


# Gradescope's entry point: ours, so that a notebook otter cannot read still gets a results.json
RUN_OTTER = """\"\"\"Gradescope runs this (see run_autograder): otter's grading, with a results.json whatever happens.\"\"\"

from autograder.otter.gradescope import main

if __name__ == "__main__":
    main("/autograder")
"""


def _replace_in_zip(path: Path, name: str, text: str) -> None:
    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, text.encode() if info.filename == name else data)


@contextlib.contextmanager
def _chdir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def build(dist: Path = ROOT / "dist", limits: dict | None = None) -> dict[str, Path]:
    check_template_in_sync()
    dist.mkdir(parents=True, exist_ok=True)
    return {"student": build_student(dist), "autograder": build_autograder(dist, limits)}
