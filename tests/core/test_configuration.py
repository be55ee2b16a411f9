"""Settings come from the environment only, fail clearly, and are all documented."""

import ast
import functools
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import bascule

PACKAGE = Path(bascule.__file__).resolve().parent
SETTINGS = PACKAGE / "settings.py"
DOC = PACKAGE.parent.parent / "docs" / "configuration.md"
BASCULE = Path(sys.executable).with_name("bascule")

ENV_HELPERS = {"env", "env_bool", "env_int", "env_list"}


@functools.cache
def variables_in_settings() -> frozenset[str]:
    """Names passed to env(), env_bool(), env_int(), env_list() in settings.py."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ENV_HELPERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return frozenset(names)


OS_ENVIRON = re.compile(
    r"""os\.(?:environ(?:\.get|\.setdefault|\.pop)?\(\s*|environ\[\s*|getenv\(\s*)["']([A-Z][A-Z0-9_]*)["']"""
)


def variables_in_code() -> dict[str, str]:
    """Names read through os.environ / os.getenv anywhere in the package, with where."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for name in OS_ENVIRON.findall(line):
                found.setdefault(name, f"{path.relative_to(PACKAGE.parent)}:{number}")
    return found


def variables_in_doc() -> set[str]:
    """Names in the first column of the tables of docs/configuration.md."""
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", DOC.read_text(), re.MULTILINE))


def test_it_finds_the_variables_it_checks():
    # Guards the parsers themselves: an empty set would make the next tests pass vacuously.
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "EMAIL_URL", "TIME_ZONE"} <= variables_in_settings()
    assert {"LANGUAGE_CODE", "BASCULE_DATA_DIR"} <= variables_in_settings()
    assert "PORT" in variables_in_code()
    assert "SECRET_KEY" in variables_in_doc()


def test_every_variable_is_documented():
    code = variables_in_code()
    missing = sorted((variables_in_settings() | set(code)) - variables_in_doc())
    where = [f"{name} ({code.get(name, 'src/bascule/settings.py')})" for name in missing]
    assert not missing, f"Add these to docs/configuration.md: {', '.join(where)}"


def test_every_documented_variable_is_read():
    stale = sorted(variables_in_doc() - variables_in_settings() - set(variables_in_code()))
    assert not stale, f"docs/configuration.md lists variables the code no longer reads: {', '.join(stale)}"


def test_settings_read_the_environment_only_through_the_helpers():
    # Reading os.environ directly in settings.py would bypass the "empty means default"
    # rule and the clear errors of the helpers.
    direct = [
        line for line in SETTINGS.read_text().splitlines()
        if "os.environ" in line and not line.strip().startswith(("return os.environ.get(name)", "value = os.environ.get(name)"))
    ]
    assert not direct, direct


# Loading settings.py in-process with a given environment is fast and shows the exception.


def load_settings(monkeypatch, tmp_path, **variables):
    for name in variables_in_settings() & set(os.environ):
        monkeypatch.delenv(name)
    monkeypatch.setenv("BASCULE_DATA_DIR", str(tmp_path))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def test_it_runs_with_no_variable_at_all(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, tmp_path)
    assert values["DEBUG"] is False
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")
    # The embedded mode makes its own key, and keeps it.
    assert len(values["SECRET_KEY"]) >= 50
    assert load_settings(monkeypatch, tmp_path)["SECRET_KEY"] == values["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_needs_a_secret_key(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        load_settings(monkeypatch, tmp_path, BASCULE_ENV="production")


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "a" * 50, "ab" * 30])
def test_production_refuses_a_weak_secret_key(monkeypatch, tmp_path, key):
    with pytest.raises(ImproperlyConfigured, match="too weak"):
        load_settings(monkeypatch, tmp_path, BASCULE_ENV="production", SECRET_KEY=key)


def test_production_refuses_debug(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be off"):
        load_settings(monkeypatch, tmp_path, BASCULE_ENV="production", SECRET_KEY=strong_key(), DEBUG="1")


def test_production_is_secure_by_default(monkeypatch, tmp_path):
    values = load_settings(monkeypatch, tmp_path, BASCULE_ENV="production", SECRET_KEY=strong_key())
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SILENCED_SYSTEM_CHECKS"] == ["security.W021"]
    # Never print reset links into the logs.
    assert values["MAILERS"]["default"]["BACKEND"].endswith("smtp.EmailBackend")
    preload = load_settings(monkeypatch, tmp_path, BASCULE_ENV="production", SECRET_KEY=strong_key(), SECURE_HSTS_PRELOAD="yes")
    assert preload["SILENCED_SYSTEM_CHECKS"] == []


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"EMAIL_URL": "gopher://mail.example.com"}, "EMAIL_URL scheme must be one of"),
        ({"BASCULE_LOGIN_FAILURE_LIMIT": "five"}, "BASCULE_LOGIN_FAILURE_LIMIT must be an integer, got 'five'"),
        ({"DATABASE_CONN_MAX_AGE": "1.5"}, "DATABASE_CONN_MAX_AGE must be an integer"),
        ({"DEBUG": "maybe"}, "DEBUG must be 1/true/yes/on or 0/false/no/off"),
        ({"BASCULE_ENV": "prod"}, "BASCULE_ENV must be one of"),
        ({"LANGUAGE_CODE": "de"}, "LANGUAGE_CODE must be en or fr"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
        ({"DATABASE_URL": "oracle-ish://db"}, "DATABASE_URL is not understood"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be"),
        ({"BASCULE_MIN_GROUP_SIZE": "3"}, "may not be lower than 5"),
    ],
)
def test_a_wrong_value_stops_with_a_clear_message(monkeypatch, tmp_path, variables, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        load_settings(monkeypatch, tmp_path, **variables)


@pytest.mark.parametrize(
    "url, backend, options",
    [
        ("smtp://user:p%40ss@mail.example.com", "smtp.EmailBackend", {"host": "mail.example.com", "port": 25, "password": "p@ss", "use_tls": False}),
        ("submission://u:p@mail.example.com", "smtp.EmailBackend", {"port": 587, "use_tls": True}),
        ("smtps://u:p@mail.example.com", "smtp.EmailBackend", {"port": 465, "use_ssl": True}),
        ("smtp://mail.example.com:2525?tls=1", "smtp.EmailBackend", {"port": 2525, "use_tls": True}),
        ("memory://", "locmem.EmailBackend", {}),
    ],
)
def test_email_url_is_understood(monkeypatch, tmp_path, url, backend, options):
    mailer = load_settings(monkeypatch, tmp_path, EMAIL_URL=url)["MAILERS"]["default"]
    assert mailer["BACKEND"].endswith(backend)
    assert options.items() <= mailer["OPTIONS"].items()


# The real command, as an operator runs it.


def bascule_command(tmp_path, *args, **variables):
    environment = {
        name: value for name, value in os.environ.items()
        if name not in variables_in_settings() and not name.startswith("DJANGO_")
    }
    environment.update(BASCULE_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **variables)
    return subprocess.run([str(BASCULE), *args], env=environment, capture_output=True, text=True, timeout=60)


def test_production_without_a_key_says_so_in_one_line(tmp_path):
    result = bascule_command(tmp_path, "check", BASCULE_ENV="production", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when BASCULE_ENV=production." in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = bascule_command(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        BASCULE_ENV="production", SECRET_KEY=strong_key(), ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr
