"""Conventions from STYLE.md that a machine can check."""

import re
from fnmatch import fnmatch
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

import bascule

PACKAGE = Path(bascule.__file__).resolve().parent
SOURCE_ROOT = PACKAGE.parent

WRITE = re.compile(r"\.(save|create|update|delete|bulk_create|bulk_update|get_or_create|update_or_create)\(")

# Files where writes belong, each with its reason. Paths are relative to src/.
WRITERS = {
    "bascule/*/actions.py": "every business write lives in an action (STYLE.md)",
    "bascule/*/*_actions.py": "actions of one part of an app, imported by its actions.py (programs/ambassadors_actions.py)",
    "bascule/*/ledger.py": "the ledger helper appends events for the actions, inside their transaction",
    "bascule/*/importers.py": "importers' bulk loaders, with the same rules as the actions",
    "bascule/*/importers/*.py": "importers' bulk loaders, with the same rules as the actions",
    "bascule/*/migrations/*.py": "data migrations",
    "bascule/demo/*.py": "the demo generator is a bulk loader of synthetic data",
}

# Lines that look like writes but are not writes to the database, or are Django's own
# ways in, each with its reason. A pattern is matched against the stripped line.
NOT_DATABASE_WRITES = {
    r"^cache\.delete\(": "the cache, not the database (login lock-out)",
    r"\bstorage\.delete\(": "a file in the storage, scheduled by an action",
    r"\bimage\.save\(buffer": "Pillow writing an image to memory",
    r"\b\w+\.update\(\{": "a dict updated with a dict literal",
    r"^extra_fields\.update\(": "keyword arguments of UserManager.create_superuser",
    r"^user\.save\(using=self\._db\)$": "UserManager.create_user, Django's way in for createsuperuser",
}


def writes_outside_actions(path: Path, text: str) -> list[str]:
    """``file:line: code`` for every write in ``text`` that the rules do not allow."""
    relative = path.relative_to(SOURCE_ROOT).as_posix()
    if any(fnmatch(relative, pattern) for pattern in WRITERS):
        return []
    offences = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0].strip()
        if not WRITE.search(code):
            continue
        if any(re.search(pattern, code) for pattern in NOT_DATABASE_WRITES):
            continue
        offences.append(f"src/{relative}:{number}: {line.strip()}")
    return offences


def test_writes_happen_only_in_actions_and_loaders():
    offences = [
        offence
        for path in sorted(PACKAGE.rglob("*.py"))
        for offence in writes_outside_actions(path, path.read_text())
    ]
    assert not offences, (
        "Database writes outside actions.py (move them into an action, STYLE.md):\n" + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "line",
    [
        "person.save()",
        "Person.objects.create(display_name='x')",
        "Person.objects.filter(pk=1).update(title='x')",
        "person.delete()",
        "Tag.objects.bulk_create(tags)",
        "Tag.objects.get_or_create(slug='x')",
        "super().save(commit=commit)",
    ],
)
def test_the_rule_catches_writes(line):
    assert writes_outside_actions(PACKAGE / "network" / "views.py", f"def view(request):\n    {line}\n")


@pytest.mark.parametrize(
    "line",
    ["cache.delete(key)", "storage.delete(old)", "counts.update({'a': 1})", "# person.save() in a comment"],
)
def test_the_rule_ignores_what_is_not_a_database_write(line):
    assert not writes_outside_actions(PACKAGE / "network" / "views.py", f"{line}\n")


def test_actions_may_write():
    assert not writes_outside_actions(PACKAGE / "network" / "actions.py", "post.save()\n")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    output = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Models changed without a migration (run bascule makemigrations):\n{output.getvalue()}")
