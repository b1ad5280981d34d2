"""The ``docseal`` command: administration, issuance, verification, local server.

JSON on stdout. Exit 0 on success or a VALID verdict, 1 on an INVALID verdict,
2 on bad input or usage, 3 when a backing service failed, 141 (128 + SIGPIPE,
what a shell reports for a tool stopped by a closed pipe) when whoever reads
the output stopped reading, as ``head`` does.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import errno
import functools
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.domain import views
from chalicelib.domain.catalogue import DEFINABLE_KINDS
from chalicelib.domain.principal import ROLES, Principal
from chalicelib.errors import BadRequest, DocsealError, NotFound
from chalicelib.services.admin import RowError
from chalicelib.services.issuing import IssueRequest
from chalicelib.services.verifying import VerifyService

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 128 + 13  # SIGPIPE


def _print(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def _instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from exc
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _types(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _field(text: str) -> tuple[str, str]:
    code, sep, value = text.partition("=")
    if not sep or not code:
        raise argparse.ArgumentTypeError(f"{text!r} is not code=value")
    return code.strip(), value


def _duration(text: str) -> dt.timedelta:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if (n := text.strip()).isdigit():  # seconds? days? refused rather than guessed
        raise argparse.ArgumentTypeError(f"{text!r} has no unit: write {n}d, {n}h, {n}m or {n}s")
    try:
        amount = int(text[:-1])
        seconds = amount * units[text[-1]]
    except (ValueError, KeyError, IndexError) as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 8h, 3d") from exc
    if amount <= 0:
        raise argparse.ArgumentTypeError("the duration must be positive")
    return dt.timedelta(seconds=seconds)


def cmd_issuer_add(a: argparse.Namespace) -> int:
    issuer = bootstrap.container().admin.add_issuer(
        a.code, a.name, a.name_en or a.name, a.types, a.area or ""
    )
    _print(views.issuer_added_view(issuer))
    return EXIT_OK


def cmd_issuer_list(a: argparse.Namespace) -> int:
    for i in bootstrap.container().admin.list_issuers():
        _print(views.issuer_view(i))
    return EXIT_OK


def cmd_key_create(a: argparse.Namespace) -> int:
    key = bootstrap.container().admin.create_key(a.issuer)
    _print(views.operator_new_key_view(key))
    return EXIT_OK


def cmd_key_rotate(a: argparse.Namespace) -> int:
    _print(views.operator_key_view(bootstrap.container().admin.rotate_key(a.issuer)))
    return EXIT_OK


def cmd_key_revoke(a: argparse.Namespace) -> int:
    key = bootstrap.container().admin.revoke_key(a.kid, a.reason, a.effective)
    _print(views.operator_key_view(key))
    return EXIT_OK


def cmd_issuer_update(a: argparse.Namespace) -> int:
    issuer = bootstrap.container().admin.update_issuer(
        a.code, name_vi=a.name, name_en=a.name_en, area=a.area, types=a.types
    )
    _print(views.issuer_updated_view(issuer))
    return EXIT_OK


def cmd_issuer_status(a: argparse.Namespace) -> int:
    status = "suspended" if a.action == "suspend" else "active"
    issuer = bootstrap.container().admin.set_issuer_status(a.code, status)
    _print(views.issuer_status_view(issuer))
    return EXIT_OK


def cmd_key_documents(a: argparse.Namespace) -> int:
    """The documents a key signed, with their status: what a re-issue would touch."""
    c = bootstrap.container()
    for record in c.admin.key_documents(a.kid):
        _print(views.signed_by_key_view(record))
    return EXIT_OK


def _write_result(c: bootstrap.Container, qr_text: str, folder: Path) -> None:
    """The document's ``qr.png`` and printable ``result.pdf`` in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "qr.png").write_bytes(c.documents.png_for(qr_text))
        (folder / "result.pdf").write_bytes(c.documents.pdf_for(qr_text))
    except OSError as exc:
        raise BadRequest(
            f"cannot write to {folder}: {exc.strerror}", code="OUT_UNWRITABLE"
        ) from exc


def _writable(out: str | None) -> Path | None:
    """``--out`` of a re-issue, checked before anything is re-signed: a folder
    that cannot be written must not leave new documents without their files."""
    if out is None:
        return None
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise BadRequest(
            f"cannot write to {folder}: {exc.strerror}", code="OUT_UNWRITABLE"
        ) from exc
    return folder


def cmd_key_reissue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    out = _writable(a.out)
    for old, new in c.issuing.reissue_key(a.kid, c.settings.actor):
        line: dict[str, Any] = {"superseded": old, "id": new}
        if out is not None:
            record = c.admin.document(new)
            if record is None:  # it was stored a moment ago
                raise NotFound(f"no document {new}", code="DOCUMENT_NOT_FOUND")
            _write_result(c, c.issuing.qr_text(record), out / new)
            line["folder"] = str(out / new)
        _print(line)
    return EXIT_OK


def cmd_document_reissue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    corrections: dict[str, str] = {}
    for code, value in a.field or []:
        if code in corrections:
            raise BadRequest(f"field {code} is given twice", code="DUPLICATE_FIELD")
        corrections[code] = value
    out = _writable(a.out)
    issued = c.issuing.reissue(a.doc_id, c.settings.actor, corrections)
    line: dict[str, Any] = {"superseded": a.doc_id, "id": issued.id, "qr_text": issued.qr_text}
    if out is not None:
        _write_result(c, issued.qr_text, out / issued.id)
        line["folder"] = str(out / issued.id)
    _print(line)
    return EXIT_OK


def cmd_document_revoke(a: argparse.Namespace) -> int:
    record = bootstrap.container().admin.revoke_document(a.doc_id, a.reason)
    _print(views.document_status_view(record))
    return EXIT_OK


def cmd_audit_verify(a: argparse.Namespace) -> int:
    checked, broken = bootstrap.container().audit.verify()
    _print({"ok": broken is None, "entries": checked, "first_broken": broken})
    return EXIT_OK if broken is None else EXIT_INVALID


def cmd_audit_list(a: argparse.Namespace) -> int:
    for entry in bootstrap.container().audit.entries(a.after, a.limit):
        _print(views.audit_view(entry))
    return EXIT_OK


def cmd_key_list(a: argparse.Namespace) -> int:
    for k in bootstrap.container().admin.list_keys(a.issuer):
        _print(views.operator_key_view(k))
    return EXIT_OK


def cmd_identity_import(a: argparse.Namespace) -> int:
    """Stream a CSV of any size: good rows are stored in batches, bad rows are
    written with their reasons to a CSV beside it; exit 1 when any were."""
    from tqdm import tqdm

    from chalicelib.adapters.seen import DiskSeen

    path = Path(a.file)
    rejects_path = Path(a.rejects) if a.rejects else path.with_suffix(".rejected.csv")
    expected = ["id_number", "full_name", "dob", "gender", "status"]
    opened: list[Any] = []  # the rejects file, opened at the first rejected row
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
        with path.open(encoding="utf-8-sig", newline="") as handle, DiskSeen() as seen:
            reader = csv.DictReader(handle)
            if [f.strip() for f in reader.fieldnames or []] != expected:
                raise BadRequest(
                    f"the CSV's header must be exactly {','.join(expected)}", code="CSV_COLUMNS"
                )
            with tqdm(unit=" rows", file=sys.stderr, disable=None, mininterval=0.5) as bar:
                imported, _ = c.admin.import_stream(
                    reader, seen, reject, on_progress=lambda _n: bar.update(1)
                )
    except OSError as exc:
        raise BadRequest(f"cannot read {path}: {exc.strerror}", code="FILE_UNREADABLE") from exc
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{path} is not UTF-8 text", code="FILE_NOT_UTF8") from exc
    except csv.Error as exc:
        raise BadRequest(f"the CSV is malformed: {exc}", code="CSV_MALFORMED") from exc
    finally:
        for handle in opened:
            handle.close()
    report: dict[str, Any] = {"imported": imported, "rejected": rejected_rows}
    if rejected_rows:
        report["rejects_file"] = str(rejects_path)
    _print(report)
    return EXIT_OK if not rejected_rows else EXIT_INVALID


def cmd_issue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    fields: dict[str, str] = {}
    for code, value in a.field or []:
        if code in fields:
            raise BadRequest(f"field {code} is given twice", code="DUPLICATE_FIELD")
        fields[code] = value
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
    )
    _write_result(c, issued.qr_text, Path(a.out))
    _print({"id": issued.id, "qr_text": issued.qr_text})
    return EXIT_OK


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise BadRequest(f"cannot read {path}: {exc.strerror}", code="FILE_UNREADABLE") from exc


def _offline_verifier(a: argparse.Namespace) -> VerifyService:
    """A verifier over an exported trust bundle only: no store, no network."""
    from chalicelib.adapters.clock import SystemClock
    from chalicelib.domain.trustlist import open_trust_list
    from chalicelib.services.verifying import FixedTrust

    folder = Path(a.trust)
    try:
        jws = (folder / "trust.jws").read_text() if folder.is_dir() else folder.read_text()
        roots_file = Path(a.roots) if a.roots else folder / "roots.json"
        roots = {
            str(k["kid"]): base64.b64decode(str(k["public_key"]))
            for k in json.loads(roots_file.read_text())["keys"]
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadRequest(
            "--trust needs the folder `docseal trust export` wrote (trust.jws, roots.json)",
            code="FILE_UNREADABLE",
        ) from exc
    clock = SystemClock()
    offline = open_trust_list(jws, roots, a.at or clock.now())
    return VerifyService(FixedTrust(offline.snapshot), offline, clock)


def cmd_verify(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    if (a.text is None) == (a.file is None):
        raise BadRequest("give either --text QR_TEXT or a FILE", code="BAD_USAGE")
    if a.offline and not a.trust:
        raise BadRequest("--offline needs --trust FOLDER", code="BAD_USAGE")
    verifier = _offline_verifier(a) if a.offline else c.verifier
    if a.text is not None:
        verdict = verifier.verify(a.text, a.holder_id, at=a.at)
        _print(verdict.to_dict())
        return EXIT_OK if verdict.verdict == "VALID" else EXIT_INVALID
    try:
        from chalicelib.services.files import FileVerifyService

        files = FileVerifyService(c.scanner, verifier) if a.offline else c.files
        result = files.verify_file(_read(a.file), a.holder_id)
    finally:
        c.close()
    _print({"file": a.file, **_with_reasons_on_top(result.to_dict())})
    return EXIT_OK if result.verdict == "VALID" else EXIT_INVALID


def _with_reasons_on_top(out: dict[str, Any]) -> dict[str, Any]:
    """An INVALID file's reasons at the top level, as ``verify --text`` gives
    them: the file's own (no code found ...) and every code's, each once."""
    if out["verdict"] == "VALID":
        return out
    reasons: dict[str, Any] = dict(zip(out["reasons"], out["explanations"], strict=True))
    for result in out["results"]:
        for reason, explanation in zip(result["reasons"], result["explanations"], strict=True):
            reasons.setdefault(reason, explanation)
    return {**out, "reasons": list(reasons), "explanations": list(reasons.values())}


def cmd_trust_root(a: argparse.Namespace) -> int:
    service = bootstrap.container().trustlist
    if a.change == "create":
        _print(views.operator_key_view(service.create_root(a.key)))
    elif a.change == "rotate":
        _print(views.operator_key_view(service.rotate_root(a.key)))
    else:
        for key in service.roots():
            _print(views.operator_key_view(key))
    return EXIT_OK


def cmd_trust_export(a: argparse.Namespace) -> int:
    service = bootstrap.container().trustlist
    published = service.publish()
    out = Path(a.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "trust.jws").write_text(published.jws + "\n")
        (out / "roots.json").write_text(json.dumps(service.pinned_roots(), indent=2) + "\n")
    except OSError as exc:
        raise BadRequest(f"cannot write to {out}: {exc.strerror}", code="OUT_UNWRITABLE") from exc
    _print(views.trust_export_view(str(out), published))
    return EXIT_OK


def cmd_decode(a: argparse.Namespace) -> int:
    """Every QR code in each file, docseal's or not, exactly as stored."""
    c = bootstrap.container()
    all_found = True
    try:
        for name in a.files:
            line: dict[str, Any] = {"file": name}
            try:
                scan = c.scanner.scan(_read(name))
            except DocsealError as exc:
                line.update(texts=[], error={"code": exc.code, "message": exc.message})
                all_found = False
            else:
                line["texts"] = [code.text for code in scan.codes if code.text is not None]
                binary = [code.data.hex() for code in scan.codes if code.text is None]
                if binary:
                    line["binary_hex"] = binary
                all_found = all_found and bool(scan.codes)
            _print(line)
    finally:
        c.close()
    return EXIT_OK if all_found else EXIT_INVALID


def cmd_token(a: argparse.Namespace) -> int:
    if a.role == "issuer" and not a.issuer:
        raise BadRequest("--role issuer needs --issuer CODE", code="MISSING_ISSUER")
    if a.role == "citizen" and not a.holder_id:
        raise BadRequest("--role citizen needs --holder-id N", code="MISSING_HOLDER")
    c = bootstrap.container()
    token = c.dev_idp.mint(
        a.role,
        c.clock.now(),
        ttl=a.ttl,
        issuer_code=a.issuer,
        holder_id=a.holder_id,
        agency=a.agency,
        agency_name=a.agency_name,
    )
    sys.stdout.write(token + "\n")
    return EXIT_OK


def _citizen(a: argparse.Namespace) -> Principal:
    token = a.token or os.environ.get("DOCSEAL_TOKEN", "")
    c = bootstrap.container()
    return c.tokens.principal(f"Bearer {token}" if token else None, c.clock.now())


def cmd_link_create(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    created = c.links.create(
        _citizen(a),
        a.doc_id,
        expires_in=int(a.expires_in.total_seconds()),
        max_views=a.max_views,
        recipient=a.recipient,
        disclose=a.disclose,
    )
    _print({**views.link_view(created.link, None, c.clock.now()), "url": created.url})
    return EXIT_OK


def cmd_link_list(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    for link, openings in c.links.my_links(_citizen(a)):
        _print(views.link_view(link, openings, c.clock.now()))
    return EXIT_OK


def cmd_link_revoke(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    _print(views.link_view(c.links.revoke(_citizen(a), a.link_id), None, c.clock.now()))
    return EXIT_OK


def cmd_doctype_note(a: argparse.Namespace) -> int:
    bootstrap.container().admin.set_type_note(a.type, a.vi, a.en)
    _print({"type": a.type, "note_vi": a.vi.strip(), "note_en": a.en.strip()})
    return EXIT_OK


def _field_spec(text: str) -> tuple[str, str, str, bool, str]:
    """code:Nhãn tiếng Việt[:English label][:optional][:text|number|date]"""
    parts = text.split(":")
    kind = parts.pop() if len(parts) > 2 and parts[-1] in DEFINABLE_KINDS else "text"
    optional = parts[-1] == "optional"
    if optional:
        parts = parts[:-1]
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not code:label_vi[:label_en][:optional][:text|number|date]"
        )
    return parts[0], parts[1], parts[2] if len(parts) == 3 else parts[1], not optional, kind


def cmd_doctype_add(a: argparse.Namespace) -> int:
    doc_type = bootstrap.container().admin.define_doc_type(
        a.code, a.name, a.name_en or a.name, a.field or [], a.validity_days
    )
    _print(views.doc_type_view(doc_type))
    return EXIT_OK


def cmd_doctype_list(a: argparse.Namespace) -> int:
    for doc_type in bootstrap.container().trust.snapshot().doc_types.values():
        _print(views.doc_type_view(doc_type))
    return EXIT_OK


def cmd_demo(a: argparse.Namespace) -> int:
    from chalicelib.services.demo import seed

    c = bootstrap.container()
    out = Path(a.out) if a.out else c.settings.home / "demo"
    results = []
    for demo, issued in seed(c.admin, c.issuing):
        folder = out / demo.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "qr.png").write_bytes(c.documents.png_for(issued.qr_text))
        (folder / "result.pdf").write_bytes(c.documents.pdf_for(issued.qr_text))
        (folder / "qr.txt").write_text(issued.qr_text + "\n")
        results.append({"name": demo.name, "id": issued.id, "folder": str(folder)})
    _print({"documents": results, "folder": str(out)})
    return EXIT_OK


def _quiet_request_handler() -> type:
    from http.server import BaseHTTPRequestHandler

    from chalice.local import ChaliceRequestHandler, LocalGateway

    from chalicelib.routes.local_gateway import serve_unmatched

    class QuietRequestHandler(ChaliceRequestHandler):
        """No access log line from ``http.server``: it writes the raw request
        line, and a share link's secret is in the path. ``chalicelib.http.
        correlate`` logs each request (route template, status) instead.
        Paths no route matches go to ``/{proxy+}``, as on API Gateway."""

        def __init__(self, request: Any, client_address: Any, server: Any, **kw: Any) -> None:
            self.local_gateway = serve_unmatched(
                LocalGateway(kw["app_object"], kw["config"]), kw["app_object"]
            )
            BaseHTTPRequestHandler.__init__(self, request, client_address, server)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            return None

        def log_error(self, format: str, *args: Any) -> None:
            sys.stderr.write("docseal serve: refused a malformed HTTP request\n")

    return QuietRequestHandler


def cmd_serve(a: argparse.Namespace) -> int:
    from chalice.config import Config
    from chalice.local import create_local_server

    from app import app

    c = bootstrap.container()
    c.trust.snapshot()  # open the store and fail early if it cannot be read
    config = Config.create(chalice_stage="local")
    try:
        server = create_local_server(app, config, a.host, a.port)
    except OSError as exc:
        why = "is already in use" if exc.errno == errno.EADDRINUSE else f"failed: {exc.strerror}"
        sys.stderr.write(f"docseal serve: {a.host}:{a.port} {why}; choose another --port\n")
        return EXIT_BAD_INPUT
    server.server.RequestHandlerClass = functools.partial(
        _quiet_request_handler(), app_object=app, config=config
    )
    sys.stderr.write(
        f"docseal is serving on http://{a.host}:{a.port}/ (state in {c.settings.home})\n"
    )
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="docseal", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"docseal {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    issuer = sub.add_parser("issuer", help="issuing agencies").add_subparsers(
        dest="action", required=True
    )
    add = issuer.add_parser("add", help="register an issuer and its document types")
    add.add_argument("code")
    add.add_argument("--name", required=True, help="name in Vietnamese")
    add.add_argument("--name-en")
    add.add_argument("--types", required=True, type=_types, help="t1,t2 from `doctype list`")
    add.add_argument("--area")
    add.set_defaults(func=cmd_issuer_add)
    issuer.add_parser("list").set_defaults(func=cmd_issuer_list)
    update = issuer.add_parser("update", help="change names, area or document types")
    update.add_argument("code")
    update.add_argument("--name")
    update.add_argument("--name-en")
    update.add_argument("--area")
    update.add_argument("--types", type=_types)
    update.set_defaults(func=cmd_issuer_update)
    for action, text in (
        ("suspend", "no new issuance; existing documents keep verifying"),
        ("reinstate", "allow issuance again"),
    ):
        change = issuer.add_parser(action, help=text)
        change.add_argument("code")
        change.set_defaults(func=cmd_issuer_status)

    key = sub.add_parser("key", help="signing keys").add_subparsers(dest="action", required=True)
    create = key.add_parser("create", help="create the issuer's active signing key")
    create.add_argument("--issuer", required=True)
    create.set_defaults(func=cmd_key_create)
    klist = key.add_parser("list")
    klist.add_argument("--issuer")
    klist.set_defaults(func=cmd_key_list)
    rotate = key.add_parser("rotate", help="new active key; the old one retires")
    rotate.add_argument("--issuer", required=True)
    rotate.set_defaults(func=cmd_key_rotate)
    krevoke = key.add_parser("revoke", help="compromise: documents under it become INVALID")
    krevoke.add_argument("kid")
    krevoke.add_argument("--reason", required=True)
    krevoke.add_argument("--effective", type=_instant, help="ISO 8601, default now")
    krevoke.set_defaults(func=cmd_key_revoke)
    kdocs = key.add_parser("documents", help="the documents a key signed, with their status")
    kdocs.add_argument("kid")
    kdocs.set_defaults(func=cmd_key_documents)
    reissue = key.add_parser(
        "reissue", help="re-sign every valid document of a key with the issuer's active key"
    )
    reissue.add_argument("kid")
    reissue.add_argument("--out", help="write each new document's qr.png and result.pdf in OUT/ID")
    reissue.set_defaults(func=cmd_key_reissue)

    audit = sub.add_parser("audit", help="the hash-chained audit trail").add_subparsers(
        dest="action", required=True
    )
    audit.add_parser(
        "verify", help="check the chain; exit 1 at the first broken entry"
    ).set_defaults(func=cmd_audit_verify)
    alist = audit.add_parser("list", help="entries after a sequence number, oldest first")
    alist.add_argument("--after", type=int, default=0)
    alist.add_argument("--limit", type=int, default=100)
    alist.set_defaults(func=cmd_audit_list)

    document = sub.add_parser("document", help="issued documents").add_subparsers(
        dest="action", required=True
    )
    drevoke = document.add_parser("revoke", help="revoke one document with a reason")
    drevoke.add_argument("doc_id")
    drevoke.add_argument("--reason", required=True)
    drevoke.set_defaults(func=cmd_document_revoke)
    dreissue = document.add_parser("reissue", help="a new copy that supersedes this one")
    dreissue.add_argument("doc_id")
    dreissue.add_argument("--field", action="append", type=_field, help="a correction: code=value")
    dreissue.add_argument("--out", help="write the new document's qr.png and result.pdf in OUT/ID")
    dreissue.set_defaults(func=cmd_document_reissue)

    identity = sub.add_parser("identity", help="identity records").add_subparsers(
        dest="action", required=True
    )
    imp = identity.add_parser("import", help="CSV: id_number,full_name,dob,gender,status")
    imp.add_argument("file")
    imp.add_argument("--rejects", help="where to write rejected rows (default FILE.rejected.csv)")
    imp.set_defaults(func=cmd_identity_import)

    issue = sub.add_parser("issue", help="sign a result; writes qr.png and result.pdf")
    issue.add_argument("--issuer", required=True)
    issue.add_argument("--type", required=True)
    issue.add_argument("--holder-id", required=True)
    issue.add_argument("--holder-name", required=True)
    issue.add_argument("--holder-dob", required=True, type=_date)
    issue.add_argument("--field", action="append", type=_field, metavar="CODE=VALUE")
    issue.add_argument("--expires", type=_date)
    issue.add_argument("--kid")
    issue.add_argument("--idempotency-key")
    issue.add_argument("--out", required=True)
    issue.set_defaults(func=cmd_issue)

    verify = sub.add_parser("verify", help="verify a QR text, or the codes in an image or PDF")
    verify.add_argument("file", nargs="?", help="a photo, screenshot, scan or PDF")
    verify.add_argument("--text")
    verify.add_argument("--holder-id")
    verify.add_argument("--at", type=_instant, help="verify as of this time (ISO 8601)")
    verify.add_argument(
        "--offline", action="store_true", help="use only an exported trust bundle (--trust)"
    )
    verify.add_argument("--trust", help="the folder `docseal trust export` wrote")
    verify.add_argument("--roots", help="pinned root keys (default: FOLDER/roots.json)")
    verify.set_defaults(func=cmd_verify)

    trust = sub.add_parser("trust", help="the signed trust list").add_subparsers(
        dest="action", required=True
    )
    troot = trust.add_parser("root", help="the root key that signs trust lists")
    troot.add_argument("change", choices=("create", "rotate", "list"))
    troot.add_argument(
        "--key",
        help="use this key already in custody instead of making one "
        "(on AWS: the template's alias/docseal-<stage>/trust-root, or a new KMS key id)",
    )
    troot.set_defaults(func=cmd_trust_root)
    texport = trust.add_parser("export", help="write trust.jws and roots.json for offline use")
    texport.add_argument("--out", required=True)
    texport.set_defaults(func=cmd_trust_export)

    decode = sub.add_parser("decode", help="print every QR text found in images or PDFs")
    decode.add_argument("files", nargs="+", metavar="FILE")
    decode.set_defaults(func=cmd_decode)

    token = sub.add_parser("token", help="mint a token from the local dev identity provider")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--issuer")
    token.add_argument("--holder-id")
    token.add_argument("--agency")
    token.add_argument("--agency-name")
    token.add_argument("--ttl", type=_duration, default=dt.timedelta(hours=8))
    token.set_defaults(func=cmd_token)

    link = sub.add_parser(
        "link", help="a citizen's share links (token: --token or DOCSEAL_TOKEN)"
    ).add_subparsers(dest="action", required=True)
    create = link.add_parser("create", help="share a document; prints the URL once")
    create.add_argument("doc_id")
    create.add_argument(
        "--expires-in", type=_duration, default="7d", help="90m, 12h, 3d ... at most 30d"
    )
    create.add_argument("--max-views", type=int)
    create.add_argument("--recipient", help="who it is for, e.g. the agency's name")
    create.add_argument("--disclose", help="field codes to show, a,b (default: all)")
    create.add_argument("--token")
    create.set_defaults(func=cmd_link_create)
    listing = link.add_parser("list", help="my links with who opened them")
    listing.add_argument("--token")
    listing.set_defaults(func=cmd_link_list)
    revoke = link.add_parser("revoke", help="withdraw a link; it dies at once")
    revoke.add_argument("link_id")
    revoke.add_argument("--token")
    revoke.set_defaults(func=cmd_link_revoke)

    doctype = sub.add_parser("doctype", help="the document-type catalogue").add_subparsers(
        dest="action", required=True
    )
    doctype.add_parser("list").set_defaults(func=cmd_doctype_list)
    dadd = doctype.add_parser("add", help="define a document type (or change one defined here)")
    dadd.add_argument("code")
    dadd.add_argument("--name", required=True)
    dadd.add_argument("--name-en")
    dadd.add_argument(
        "--field",
        action="append",
        type=_field_spec,
        help="code:label_vi[:label_en][:optional][:text|number|date]",
    )
    dadd.add_argument("--validity-days", type=int)
    dadd.set_defaults(func=cmd_doctype_add)
    note = doctype.add_parser(
        "note", help="the note shown with a type on the page (empty texts clear it)"
    )
    note.add_argument("type")
    note.add_argument("--vi", required=True, help="in Vietnamese, e.g. the legal basis")
    note.add_argument("--en", default="")
    note.set_defaults(func=cmd_doctype_note)

    demo = sub.add_parser("demo", help="seed demo issuers, keys, people and documents")
    demo.add_argument("--out", help="folder for the PNG and PDF (default DOCSEAL_HOME/demo)")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="run the local server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docseal")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _run(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except DocsealError as exc:
        _print(exc.to_dict())
        return EXIT_UNAVAILABLE if exc.http_status >= 500 else EXIT_BAD_INPUT
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            code = _run(argv)
        finally:  # also after argparse's --help, --version or usage error
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``docseal issuer list | head -1``). Point stdout
        # at /dev/null so that the interpreter's last flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED
    return code


if __name__ == "__main__":
    sys.exit(main())
