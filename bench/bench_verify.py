"""docseal verification throughput beside raw ECDSA, and app import time beside
`import boto3, chalice` alone. Run with `make bench`; figures are for this machine.

Targets (issue #2): verify/raw ECDSA >= 0.5; import app <= 1.5x boto3+chalice.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from chalicelib.domain.verify import verify  # noqa: E402
from tests.support import T0, FakeStatus, Signer, document, qr, trust  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))


def rate(fn: object, seconds: float = SECONDS) -> float:
    call = fn  # type: ignore[assignment]
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            call()  # type: ignore[operator]
        n += 50
    return n / elapsed


def import_seconds(statement: str, runs: int = 9) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(samples)


def main() -> None:
    signer = Signer("UBND-A")
    snapshot = trust(signer)
    status = FakeStatus()
    text = qr(signer.sign_payload(document("UBND-A").to_cbor()))
    assert verify(text, snapshot, T0, status=status).verdict == "VALID"

    message = b"x" * 400
    der = signer.private.sign(message, ec.ECDSA(hashes.SHA256()))
    public = signer.private.public_key()
    algorithm = ec.ECDSA(hashes.SHA256())

    raw = rate(lambda: public.verify(der, message, algorithm))
    ours = rate(lambda: verify(text, snapshot, T0, status=status))
    base_import = import_seconds("import boto3, chalice")
    app_import = import_seconds("import app")

    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(f"{'measure':<44}{'docseal':>12}{'peer':>12}{'ratio':>8}  target")
    print(
        f"{'verifications/s (peer: raw ECDSA P-256)':<44}{ours:>12.0f}{raw:>12.0f}"
        f"{ours / raw:>8.2f}  >= 0.50"
    )
    print(
        f"{'import seconds (peer: import boto3, chalice)':<44}{app_import:>12.3f}"
        f"{base_import:>12.3f}{app_import / base_import:>8.2f}  <= 1.50"
    )


if __name__ == "__main__":
    main()
