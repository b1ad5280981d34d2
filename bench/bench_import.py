"""Identity import throughput: 100,000 CSV rows streamed into SQLite and into
DynamoDB (under moto, in this process), rows per second, in one run.

Usage: python bench/bench_import.py [ROWS]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.adapters.seen import DiskSeen  # noqa: E402
from chalicelib.ports import Repositories  # noqa: E402
from chalicelib.services.audit import AuditLog  # noqa: E402
from chalicelib.services.identities import IdentityImport, RowError  # noqa: E402


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def csv_text(count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id_number", "full_name", "dob", "gender", "status"])
    for n in range(count):
        writer.writerow([f"001090{n:06d}", f"Người Thử {n}", "1990-01-01", "male", "active"])
    return out.getvalue()


def run(storage: Repositories, text: str) -> tuple[int, float]:
    clock = Clock()
    identities = IdentityImport(storage.identities, b"p" * 32, AuditLog(storage.audit, clock))
    rejected: list[RowError] = []
    started = time.perf_counter()
    with DiskSeen() as seen:
        rows = csv.DictReader(io.StringIO(text))
        imported, _ = identities.import_stream(rows, seen, rejected.append, actor="bench")
    return imported, time.perf_counter() - started


def main(count: int) -> None:
    text = csv_text(count)
    results = []
    with tempfile.TemporaryDirectory() as home:
        from chalicelib.adapters.sqlite import open_sqlite

        results.append(("SQLite file", *run(open_sqlite(Path(home) / "bench.sqlite3"), text)))
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-1")
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.dynamodb import create_table, open_dynamodb

    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-southeast-1")
        create_table(client, "bench")
        results.append(("DynamoDB (moto)", *run(open_dynamodb("bench", client), text)))
    print(f"identity import, {count:,} rows streamed from CSV")
    print(f"{'store':<18}{'rows':>10}{'seconds':>10}{'rows/s':>10}")
    for name, rows, seconds in results:
        print(f"{name:<18}{rows:>10,}{seconds:>10.1f}{rows / seconds:>10,.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
