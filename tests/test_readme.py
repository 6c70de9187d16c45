"""The README and the commands agree: every flag the README shows for a command is in that command's
--help, and every command it runs exists."""

import re
import subprocess
import sys

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = ("grade", "report", "build", "template", "otter-run")


def shown() -> dict[str, set[str]]:
    """{command: the flags the README shows with it} from every line that runs `-m autograder <command>`."""
    out: dict[str, set[str]] = {}
    for line in README.splitlines():
        for m in re.finditer(r"-m autograder ([\w-]+)([^`\n]*)", line):
            out.setdefault(m[1], set()).update(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", m[2]))
    return out


def help_of(command: str) -> str:
    return subprocess.run([sys.executable, "-m", "autograder", command, "--help"], capture_output=True, text=True,
                          cwd=ROOT, check=True).stdout


def test_the_readme_runs_only_commands_that_exist():
    assert set(shown()) <= set(COMMANDS), set(shown()) - set(COMMANDS)
    assert {"grade", "report"} <= set(shown())


@pytest.mark.parametrize("command", ["grade", "report", "build", "otter-run"])
def test_every_flag_the_readme_shows_is_in_the_commands_help(command):
    flags = shown().get(command, set())
    text = help_of(command)
    missing = sorted(f for f in flags if not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text))
    assert not missing, f"{command}: the README shows {missing}, which --help does not have"


def test_the_check_can_fail():
    assert "--no-such-flag" not in help_of("grade")
