#!/bin/sh
# Install the system libraries docseal needs: libzbar0 (pyzbar's decoder).
# Debian/Ubuntu through apt-get, as root or through sudo; otherwise say what to install.
set -e
if ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ]; then
    echo "Installing libzbar0 (QR decoding) with apt-get..." >&2
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libzbar0 >/dev/null
    exit 0
  fi
fi
echo "docseal needs the zbar library (Debian/Ubuntu: libzbar0; macOS: brew install zbar)." >&2
echo "Install it, then run the command again." >&2
exit 1
