"""Writes to the network live in actions.py only (STYLE.md)."""

import re
from pathlib import Path

NETWORK = Path(__file__).resolve().parents[2] / "src" / "bascule" / "network"
WRITES = re.compile(r"\.(save|create|update|delete|bulk_create|bulk_update|get_or_create|update_or_create)\(")


def test_it_writes_only_in_actions():
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in NETWORK.glob("*.py")
        if path.name != "actions.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if WRITES.search(line)
    ]
    assert not offenders, offenders
