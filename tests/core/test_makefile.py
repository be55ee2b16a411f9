"""scripts/find-python.sh: `make` finds a Python 3.12+ or says in one sentence what to install."""

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "find-python.sh"


def fake_python(path: Path, *, good: bool) -> Path:
    """An interpreter that passes (or fails) the script's version-and-venv check."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\nexit {0 if good else 1}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def find_python(tmp_path):
    """Runs the script with only the fake interpreters, ls and sort on PATH."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("ls", "sort"):
        (tools / tool).symlink_to(shutil.which(tool))
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    home = tmp_path / "home"
    home.mkdir()

    def _run(**environment):
        env = {"PATH": f"{fake_bin}:{tools}", "HOME": str(home), **environment}
        return subprocess.run(["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True)

    _run.bin, _run.home = fake_bin, home
    return _run


def test_it_skips_an_old_python3_for_python3_12(find_python):
    fake_python(find_python.bin / "python3", good=False)
    wanted = fake_python(find_python.bin / "python3.12", good=True)
    result = find_python()
    assert result.returncode == 0
    assert result.stdout.strip() == str(wanted)


def test_it_prefers_the_python_variable(find_python):
    fake_python(find_python.bin / "python3", good=True)
    wanted = fake_python(find_python.bin.parent / "elsewhere" / "python", good=True)
    assert find_python(PYTHON=str(wanted)).stdout.strip() == str(wanted)


def test_it_finds_the_newest_pyenv_install(find_python):
    fake_python(find_python.bin / "python3", good=False)
    # A pyenv shim exists for every installed version but fails when it is not selected.
    fake_python(find_python.bin / "python3.12", good=False)
    versions = find_python.home / ".pyenv" / "versions"
    fake_python(versions / "3.11.9" / "bin" / "python", good=False)
    fake_python(versions / "3.12.4" / "bin" / "python", good=True)
    wanted = fake_python(versions / "3.13.1" / "bin" / "python", good=True)
    assert find_python().stdout.strip() == str(wanted)


def test_it_says_what_to_install_in_one_sentence(find_python):
    fake_python(find_python.bin / "python3", good=False)
    result = find_python()
    assert result.returncode == 1
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and message.count(". ") == 0 and message.endswith(".")
    assert "Python 3.12 or newer" in message and "install" in message

