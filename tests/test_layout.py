"""The folder tree is the architecture: what ships to students (spec/, engine/) imports nothing
from the grading side, so no reference value or grading code can reach a student."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograder"
SHIPPED = ("spec", "engine")
GRADING_SIDE = ("autograder.run", "autograder.judge", "autograder.batch", "autograder.otter", "autograder.build",
                "autograder.report", "autograder.cli", "solutions")


def imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's own package
                base = ".".join(("autograder", path.parent.name)[: 3 - node.level])
                found.add(f"{base}.{node.module}" if node.module else base)
            else:
                found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(p for pkg in SHIPPED for p in (PACKAGE / pkg).glob("*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_ships_to_students_imports_nothing_from_the_grading_side(path):
    bad = sorted(m for m in imports(path) if m.startswith(GRADING_SIDE))
    assert bad == []


def test_the_top_of_the_package_holds_only_the_entry_points():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py", "cli.py"]
    stages = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert stages == ["batch", "build", "engine", "judge", "otter", "report", "run", "spec"]
