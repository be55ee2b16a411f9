#!/bin/sh
# Runs the whole suite on SQLite, then on PostgreSQL when one can be had.
set -e
cd "$(dirname "$0")/.."
BIN=.venv/bin
ran=""
echo "== Tests on SQLite"
DATABASE_URL= "$BIN/pytest" "$@"
ran="SQLite"
if PG_URL=$("$BIN/python" scripts/postgres_url.py); then
  echo "== Tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$BIN/pytest" "$@"
  ran="$ran and PostgreSQL"
else
  echo "== No PostgreSQL could be had: skipped the PostgreSQL run"
fi
echo "The suite ran on: $ran"
