#!/bin/sh
# Print the path of a working Python 3.12 interpreter, or explain what to install.
# Chalice packages for the interpreter it runs under, and Lambda runs python3.12:
# under another version it would build Pillow and zxing-cpp from source into a
# package that does not load on Lambda. So 3.12 exactly, not "3.12 or newer".
for candidate in "${PYTHON312:-}" python3.12 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
    /root/.pyenv/versions/3.12*/bin/python3.12 \
    /usr/local/bin/python3.12 /usr/bin/python3.12 /opt/python/3.12*/bin/python3.12 \
    python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' \
      >/dev/null 2>&1; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
cat >&2 <<'MSG'
docseal needs Python 3.12 (the AWS Lambda python3.12 runtime), and none was found.
Install one, then run the command again:
  - with pyenv:            pyenv install 3.12
  - on Debian/Ubuntu:      sudo apt-get install python3.12 python3.12-venv  (deadsnakes PPA on older releases)
  - or point to one:       make run PYTHON312=/path/to/python3.12
MSG
exit 1
