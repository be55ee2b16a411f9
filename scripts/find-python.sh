#!/bin/sh
# Prints the path of a Python 3.12 or newer that can create a virtualenv, or says in one
# sentence what to install and fails. Tries $PYTHON, python3, python3.13, python3.12,
# python3.14, then pyenv installs under ~/.pyenv/versions (newest first).
# pyenv shims exist for every installed version but fail unless that version is
# selected, so each candidate is run, not only looked up.
PYENV_VERSIONS=${PYENV_ROOT:-$HOME/.pyenv}/versions
for candidate in "$PYTHON" python3 python3.13 python3.12 python3.14 \
    $(ls -d "$PYENV_VERSIONS"/3.[1-9][0-9]*/bin/python 2>/dev/null | sort -rV); do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  # ensurepip is what Debian leaves out when pythonX.Y-venv is not installed.
  if "$path" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
    echo "$path"
    exit 0
  fi
done
echo "Bascule needs Python 3.12 or newer with its venv module: install it (for example python3.12 and python3.12-venv, or pyenv install 3.12) and run make again." >&2
exit 1
