"""``docseal issue`` signs a result and writes its QR image and printable PDF;
``docseal document`` revokes one, or re-issues it with corrections."""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib import bootstrap
from chalicelib.cli.common import (
    EXIT_OK,
    Commands,
    command,
    date_arg,
    field_arg,
    field_values,
    group,
    print_json,
    writable_folder,
    write_result,
)
from chalicelib.domain import views
from chalicelib.domain.inputs import IssueRequest

DOC_ID = "the document's id, as `docseal issue` printed it"
FIELD = "a field of the document type, CODE=VALUE (at most 512 characters); once per field"


def register_document(commands: Commands) -> None:
    document = group(commands, "document", "issued documents")

    revoke = command(document, "revoke", "revoke one document with a reason", run_revoke)
    revoke.add_argument("doc_id", help=DOC_ID)
    revoke.add_argument("--reason", required=True, help="why, as verdicts will say it")

    reissue = command(document, "reissue", "a new copy that supersedes this one", run_reissue)
    reissue.add_argument("doc_id", help=DOC_ID)
    reissue.add_argument(
        "--field",
        action="append",
        type=field_arg,
        help="a correction, CODE=VALUE (at most 512 characters); once per corrected field",
    )
    reissue.add_argument(
        "--out", help="a folder: write the new document's qr.png and result.pdf in OUT/ID"
    )


def register_issue(commands: Commands) -> None:
    issue = command(commands, "issue", "sign a result; writes qr.png and result.pdf", run_issue)
    issue.add_argument("--issuer", required=True, help="the issuing agency's code")
    issue.add_argument(
        "--type", required=True, help="the document type's code, from `docseal doctype list`"
    )
    issue.add_argument("--holder-id", required=True, help="the holder's 12-digit ID number")
    issue.add_argument(
        "--holder-name", required=True, help="the holder's full name (at most 128 characters)"
    )
    issue.add_argument(
        "--holder-dob", required=True, type=date_arg, help="the holder's birth date, YYYY-MM-DD"
    )
    issue.add_argument("--field", action="append", type=field_arg, metavar="CODE=VALUE", help=FIELD)
    issue.add_argument(
        "--expires",
        type=date_arg,
        help="its last valid day, YYYY-MM-DD, in Vietnam time "
        "(default: the type's validity in days from now, or no expiry)",
    )
    issue.add_argument(
        "--kid",
        help="sign with this key of the issuer, which must be active (default: its active key)",
    )
    issue.add_argument(
        "--idempotency-key",
        help="any text of your choosing: the same request again with the same key "
        "returns the first document instead of signing a second one",
    )
    issue.add_argument("--out", required=True, help="the folder to write qr.png and result.pdf in")


def run_revoke(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    record = c.revocation.revoke_document(a.doc_id, a.reason, actor=c.settings.actor)
    print_json(views.document_status_view(record))
    return EXIT_OK


def run_reissue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    corrections = field_values(a.field)
    out = writable_folder(a.out)
    issued = c.issuing.reissue(a.doc_id, c.settings.actor, corrections)
    line: dict[str, Any] = {"superseded": a.doc_id, "id": issued.id, "qr_text": issued.qr_text}
    if out is not None:
        write_result(c, issued.qr_text, out / issued.id)
        line["folder"] = str(out / issued.id)
    print_json(line)
    return EXIT_OK


def run_issue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    fields = field_values(a.field)
    out = writable_folder(a.out)  # before signing: a document is never left without its files
    issued = c.issuing.issue(
        IssueRequest(
            issuer=a.issuer,
            type=a.type,
            holder_id=a.holder_id,
            holder_name=a.holder_name,
            holder_dob=a.holder_dob,
            fields=fields,
            expires=a.expires,
            kid=a.kid,
        ),
        idempotency_key=a.idempotency_key,
        actor=c.settings.actor,
    )
    write_result(c, issued.qr_text, out)
    print_json({"id": issued.id, "qr_text": issued.qr_text})
    return EXIT_OK
