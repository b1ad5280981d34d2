"""The domain stays pure: importing it pulls in no I/O or image library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("boto3", "botocore", "chalice", "PIL", "pyzbar", "zxingcpp", "sqlite3", "fpdf")


def test_domain_imports_no_io_libraries() -> None:
    code = (
        "import sys, pkgutil, importlib, chalicelib.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__):\n"
        "    importlib.import_module(f'{d.__name__}.{m.name}')\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_domain_has_modules_to_check() -> None:
    import pkgutil

    import chalicelib.domain as d

    names = {m.name for m in pkgutil.iter_modules(d.__path__)}
    assert {"verify", "cose", "claims", "qrtext", "idnumber"} <= names
