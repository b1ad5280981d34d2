"""``docseal identity import``: identity records from a CSV of any size,
streamed in bounded memory; rejected rows go to a CSV beside it."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import IO, Any

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_INVALID, EXIT_OK, Commands, command, group, print_json
from chalicelib.domain.models import GENDERS, IDENTITY_STATUSES
from chalicelib.errors import BadRequest, ErrorCode
from chalicelib.services.identities import IDENTITY_COLUMNS, RowError

COLUMNS = list(IDENTITY_COLUMNS)


def register_identity(commands: Commands) -> None:
    identity = group(commands, "identity", "identity records")
    imp = command(identity, "import", f"CSV: {','.join(COLUMNS)}", run_import)
    imp.add_argument(
        "file",
        help=f"the CSV, UTF-8, header {','.join(COLUMNS)}: a 12-digit id_number, "
        f"full_name at most 128 characters, dob YYYY-MM-DD, gender {' or '.join(GENDERS)}, "
        f"status {', '.join(IDENTITY_STATUSES)}; a known id_number is updated",
    )
    imp.add_argument("--rejects", help="where to write rejected rows (default FILE.rejected.csv)")


def run_import(a: argparse.Namespace) -> int:
    """Stream a CSV of any size: good rows are stored in batches, bad rows are
    written with their reasons to a CSV beside it; exit 1 when any were."""
    from tqdm import tqdm

    path = Path(a.file)
    rejects_path = Path(a.rejects) if a.rejects else path.with_suffix(".rejected.csv")
    opened: list[IO[str]] = []  # the rejects file, opened at the first rejected row
    rejected_rows = 0

    def reject(error: RowError) -> None:
        nonlocal rejected_rows
        if not opened:
            opened.append(rejects_path.open("w", newline="", encoding="utf-8"))
            csv.writer(opened[0]).writerow(["row", "code", "reason"])
        csv.writer(opened[0]).writerow([error.row, error.code, error.message])
        rejected_rows += 1

    c = bootstrap.container()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle, c.seen() as seen:
            reader = csv.DictReader(handle)
            if [f.strip() for f in reader.fieldnames or []] != COLUMNS:
                raise BadRequest(
                    f"the CSV's header must be exactly {','.join(COLUMNS)}",
                    code=ErrorCode.CSV_COLUMNS,
                )
            with tqdm(unit=" rows", file=sys.stderr, disable=None, mininterval=0.5) as bar:
                imported, _ = c.identities.import_stream(
                    reader,
                    seen,
                    reject,
                    on_progress=lambda _n: bar.update(1),
                    actor=c.settings.actor,
                )
    except OSError as exc:
        raise BadRequest(
            f"cannot read {path}: {exc.strerror}", code=ErrorCode.FILE_UNREADABLE
        ) from exc
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{path} is not UTF-8 text", code=ErrorCode.FILE_NOT_UTF8) from exc
    except csv.Error as exc:
        raise BadRequest(f"the CSV is malformed: {exc}", code=ErrorCode.CSV_MALFORMED) from exc
    finally:
        for rejects in opened:
            rejects.close()
    report: dict[str, Any] = {"imported": imported, "rejected": rejected_rows}
    if rejected_rows:
        report["rejects_file"] = str(rejects_path)
    print_json(report)
    return EXIT_OK if not rejected_rows else EXIT_INVALID
