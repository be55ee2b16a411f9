#!/bin/sh
# Prints the path of a Python 3.12 or newer, or explains what to install and fails.
for candidate in "$PYTHON" python3 python3.13 python3.12 python3.14 \
    $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "Bascule needs Python 3.12 or newer with venv: install python3.12 (or newer) and run make again." >&2
exit 1
