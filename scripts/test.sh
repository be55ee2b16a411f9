#!/bin/sh
# Runs the whole suite on SQLite, then on PostgreSQL when one can be had (see
# scripts/postgres_url.py), and says which databases it ran on. Extra arguments go to
# pytest: scripts/test.sh tests/people -x
# Fails when any run fails, including a run that collected no tests (pytest's exit code 5).
cd "$(dirname "$0")/.." || exit 1
BIN=.venv/bin
CHROMIUM=/usr/bin/chromium
started=$(date +%s)
passed=""
failed=""
PG_URL=""
# One pytest-xdist worker per core; TEST_WORKERS=0 runs in a single process.
WORKERS=${TEST_WORKERS:-auto}
# xdist hands each worker its tests one at a time, not in chunks of a quarter of the
# suite: pytest-django runs the transactional tests (the browser flows among them) last,
# and in chunks one worker got all the browser flows at the end while the other was idle.
SCHEDULE="--maxschedchunk 1"

cleanup() {
  # Stops the throwaway PostgreSQL cluster, when postgres_url.py had to start one.
  [ -n "$PG_URL" ] && "$BIN/python" scripts/postgres_url.py --stop "$PG_URL"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chromium_warning() {
  [ -x "$CHROMIUM" ] || echo "WARNING: $CHROMIUM is missing, so the browser tests were SKIPPED. Install Debian's chromium package (apt-get install chromium)."
}

add() {  # list, item: "A" + "B" -> "A and B"
  if [ -n "$1" ]; then echo "$1 and $2"; else echo "$2"; fi
}

run() {  # label, DATABASE_URL, pytest arguments…
  label=$1
  url=$2
  shift 2
  echo "== Tests on $label"
  DATABASE_URL="$url" "$BIN/pytest" -n "$WORKERS" $SCHEDULE "$@"
  code=$?
  case $code in
    0) passed=$(add "$passed" "$label") ;;
    5) echo "pytest collected no tests on $label: counted as a failure."; failed=$(add "$failed" "$label") ;;
    *) failed=$(add "$failed" "$label") ;;
  esac
}

chromium_warning
PG_NOTE=""
if ! PG_URL=$("$BIN/python" scripts/postgres_url.py); then
  PG_URL=""
  PG_NOTE="== No PostgreSQL could be had (no DATABASE_URL, no server on 127.0.0.1:5432, no binaries under /usr/lib/postgresql): skipped the PostgreSQL run."
fi

# The browser flows click through the interface once, on PostgreSQL (the production
# database) when there is one: every page and action they use is also tested through the
# test client on both databases. With arguments (a chosen part of the suite), both runs
# take exactly what was asked.
# An empty DATABASE_URL means the default: SQLite (pytest-django uses an in-memory test database).
if [ -n "$PG_URL" ] && [ $# -eq 0 ]; then
  run SQLite "" --ignore=tests/browser
else
  run SQLite "" "$@"
fi

if [ -n "$PG_URL" ]; then
  echo "== PostgreSQL for this run: $PG_URL"
  run "$("$BIN/python" scripts/postgres_url.py --name "$PG_URL")" "$PG_URL" "$@"
else
  echo "$PG_NOTE"
fi

seconds=$(( $(date +%s) - started ))
chromium_warning
if [ -n "$failed" ]; then
  echo "The suite FAILED on: $failed${passed:+ (passed on: $passed)} — ${seconds}s."
  exit 1
fi
echo "The suite ran on: $passed — ${seconds}s."
