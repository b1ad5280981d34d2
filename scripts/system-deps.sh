#!/bin/sh
# Install the system packages docseal needs, given as arguments:
#   libzbar0  pyzbar's QR decoder (make run, make test)
#   chromium  headless browser for the page tests (make test)
# Debian/Ubuntu through apt-get, as root or through sudo; otherwise say what to install.
set -e
missing=""
for pkg in "$@"; do
  case "$pkg" in
    libzbar0) ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0' || missing="$missing $pkg" ;;
    chromium) command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
                || missing="$missing $pkg" ;;
    *) dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg" ;;
  esac
done
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ]; then
    echo "Installing system packages:$missing (apt-get)..." >&2
    $SUDO apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
  fi
fi
echo "docseal needs these system packages:$missing" >&2
echo "(Debian/Ubuntu: apt-get install$missing; macOS: brew install zbar chromium)." >&2
echo "Install them, then run the command again." >&2
exit 1
