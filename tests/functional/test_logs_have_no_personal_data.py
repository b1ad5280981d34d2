"""Operations: a full functional run through the real app, every byte written to
stdout and stderr and every log record kept, then two questions. Can an
operator follow it (JSON lines, a correlation id on each request line, EMF
metrics for verdicts and error codes)? And is there any personal data or
secret in it (ID numbers, bearer tokens, share-link tokens, QR texts and
payloads, holders' names)? The second test plants an ID number through the
same logger and proves the scan would have caught it."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import urllib.parse
from typing import Any

import pytest

from chalicelib.adapters.telemetry import PowertoolsTelemetry
from tests.functional.conftest import PEOPLE, World, birth_request
from tests.support import BIRTH_FIELDS, HOLDER_ID

TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
HEX_ID = re.compile(r"[0-9a-f]{32}")


@dataclasses.dataclass
class Run:
    """What the run sent and was told: the secrets to look for, and the
    correlation ids and error codes the logs should account for."""

    secrets: set[str] = dataclasses.field(default_factory=set)
    request_ids: list[str] = dataclasses.field(default_factory=list)
    error_codes: set[str] = dataclasses.field(default_factory=set)


def send(world: World, run: Run, method: str, path: str, **kw: Any) -> Any:
    response = getattr(world.client.http, method)(path, **kw)
    run.request_ids.append(response.headers["X-Request-Id"])
    if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith(
        "application/json"
    ):
        run.error_codes.add(response.json_body["error"]["code"])
    return response


def post_json(
    world: World, run: Run, path: str, body: Any, headers: dict[str, str] | None = None
) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    headers = {"Content-Type": "application/json", **(headers or {})}
    return send(world, run, "post", path, body=raw, headers=headers)


def bearer(run: Run, token: str) -> dict[str, str]:
    run.secrets.add(token)
    return {"Authorization": f"Bearer {token}"}


def full_run(world: World) -> Run:
    run = Run(secrets={p["id_number"] for p in PEOPLE} | {p["full_name"] for p in PEOPLE})
    run.secrets |= {BIRTH_FIELDS["father_name"], BIRTH_FIELDS["mother_name"]}
    issuer = bearer(run, world.token())
    admin = bearer(run, world.token("admin", None))
    citizen = bearer(run, world.token("citizen", None, holder_id=HOLDER_ID))

    # Issue two documents, to two people.
    nam = next(p for p in PEOPLE if p["full_name"] == "Trần Văn Nam")
    holders = [
        birth_request(),
        birth_request(holder={k: nam[k] for k in ("id_number", "full_name", "dob")}),
    ]
    docs = []
    for body in holders:
        r = post_json(world, run, "/api/v1/documents", body, issuer)
        assert r.status_code == 201, r.body
        docs.append(r.json_body)
        qr_text = r.json_body["qr_text"]
        run.secrets |= {qr_text, qr_text.split("#", 1)[1]}
    first = docs[0]

    # Verify: as text, with the holder's ID and with someone else's, and as a PNG.
    r = post_json(world, run, "/api/v1/verify", {"qr_text": first["qr_text"]})
    assert r.json_body["verdict"] == "VALID"
    r = post_json(
        world, run, "/api/v1/verify", {"qr_text": first["qr_text"], "holder_id": HOLDER_ID}
    )
    assert r.json_body["holder_match"] == "MATCH"
    r = post_json(
        world, run, "/api/v1/verify", {"qr_text": first["qr_text"], "holder_id": nam["id_number"]}
    )
    assert r.json_body["reasons"] == ["HOLDER_MISMATCH"]
    png = send(world, run, "get", first["qr_png_url"], headers={**issuer, "Accept": "image/png"})
    assert png.status_code == 200 and png.body.startswith(b"\x89PNG")
    r = send(
        world, run, "post", "/api/v1/verify", body=png.body, headers={"Content-Type": "image/png"}
    )
    assert r.status_code == 200 and r.json_body["verdict"] == "VALID", r.body

    # The officer's desk page, the plain form.
    form = urllib.parse.urlencode({"qr_text": first["qr_text"], "holder_id": HOLDER_ID})
    r = send(
        world,
        run,
        "post",
        "/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200

    # The citizen shares it; the link is opened, revoked, and opened again.
    assert send(world, run, "get", "/api/v1/me/documents", headers=citizen).status_code == 200
    r = post_json(
        world,
        run,
        f"/api/v1/me/documents/{first['id']}/links",
        {"recipient": "Trường Tiểu học", "disclose": ["birth_place"]},
        citizen,
    )
    assert r.status_code == 201, r.body
    link = r.json_body
    share = link["url"].rsplit("/", 1)[1]
    run.secrets |= {share, link["url"]}
    assert send(world, run, "get", f"/s/{share}").status_code == 200
    revoked = send(world, run, "delete", f"/api/v1/me/links/{link['id']}", headers=citizen)
    assert revoked.status_code == 200
    assert send(world, run, "get", f"/s/{share}").status_code == 404

    # Administration: the audit trail, and a revocation that makes a verdict INVALID.
    assert send(world, run, "get", "/api/v1/audit?limit=5", headers=admin).status_code == 200
    r = post_json(
        world, run, f"/api/v1/admin/documents/{docs[1]['id']}/revoke", {"reason": "cấp nhầm"}, admin
    )
    assert r.status_code == 200
    r = post_json(world, run, "/api/v1/verify", {"qr_text": docs[1]["qr_text"]})
    assert r.json_body["verdict"] == "INVALID"

    # Bad inputs.
    assert post_json(world, run, "/api/v1/verify", '{"qr_text": "').status_code == 400
    r = post_json(world, run, "/api/v1/verify", {"qr_text": HOLDER_ID})  # an ID where a QR goes
    assert r.status_code in (200, 400)
    r = post_json(
        world, run, "/api/v1/verify", {"qr_text": first["qr_text"], "holder_id": "0013250123"}
    )
    assert r.status_code == 422
    wrong_field = birth_request(
        holder={"id_number": "Nguyễn Thị Hồng Nhung", "full_name": HOLDER_ID, "dob": "2025-03-14"}
    )
    assert post_json(world, run, "/api/v1/documents", wrong_field, issuer).status_code >= 400
    forged = bearer(run, world.token()[:-6] + "AAAAAA")
    assert post_json(world, run, "/api/v1/documents", birth_request(), forged).status_code == 401
    assert send(world, run, "get", "/api/v1/me/links", headers=forged).status_code == 401
    unknown = "k" * 32
    run.secrets.add(unknown)
    assert send(world, run, "get", f"/s/{unknown}").status_code == 404
    return run


def captured(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> str:
    out, err = capfd.readouterr()
    return "\n".join((out, err, caplog.text))


def personal_data_in(text: str, run: Run) -> list[str]:
    """Each secret of the run found in ``text``, as written or as JSON or a URL
    would escape it, and any run of exactly 12 digits (a citizen ID number).
    Correlation ids are random hex and may hold 12 digits in a row: they are
    taken out first."""
    for request_id in run.request_ids:
        text = text.replace(request_id, "<request-id>")
    found = [f"12 digits: {m}" for m in TWELVE_DIGITS.findall(text)]
    for secret in run.secrets:
        forms = {
            secret,
            json.dumps(secret)[1:-1],
            urllib.parse.quote(secret),
            urllib.parse.quote_plus(secret),
        }
        if any(form in text for form in forms):
            found.append(f"secret: {secret[:12]}...")
    return found


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(obj, dict) for obj in parsed)
    return parsed


def test_a_full_run_logs_requests_and_metrics_and_no_personal_data(
    world: World, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="docseal")
    capfd.readouterr()  # what the fixture's setup wrote is not this run's

    run = full_run(world)
    out, err = capfd.readouterr()
    text = "\n".join((out, err, caplog.text))

    lines = json_lines(out)  # stdout is JSON lines only
    requests = [line for line in lines if line.get("message") == "request"]
    assert [line["correlation_id"] for line in requests] == run.request_ids
    assert all(HEX_ID.fullmatch(line["correlation_id"]) for line in requests)
    assert all(line["service"] == "docseal" and line["level"] == "INFO" for line in requests)
    routes = {line["route"] for line in requests}
    assert "/s/{token}" in routes and "/api/v1/me/links/{link_id}" in routes
    assert all(set(line) >= {"method", "status", "duration_ms"} for line in requests)
    assert {line["error_code"] for line in requests if line["status"] >= 400} >= run.error_codes
    assert all("error_code" not in line for line in requests if line["status"] < 400)

    metrics = [line for line in lines if "_aws" in line]
    assert all(
        m["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "docseal"
        and m["correlation_id"] in run.request_ids
        for m in metrics
    )
    verdicts = {m["verdict"] for m in metrics if "Verdicts" in m}
    assert verdicts == {"VALID", "INVALID"}
    assert {m["code"] for m in metrics if "VerdictReasons" in m} >= {
        "HOLDER_MISMATCH",
        "DOCUMENT_REVOKED",
    }
    errors = {m["code"] for m in metrics if "Errors" in m}
    assert errors >= run.error_codes | {"BAD_JSON", "TOKEN_INVALID", "HTTP_404"}

    assert personal_data_in(text, run) == []


def test_the_scan_catches_an_id_number_logged_through_the_same_logger(
    world: World, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    run = Run(secrets={HOLDER_ID})
    r = send(world, run, "get", "/api/v1/health")
    assert r.status_code == 200
    with world.container.telemetry.request(run.request_ids[0]):
        logging.getLogger("docseal").info("holder %s", "001090004567")
    found = personal_data_in(captured(capfd, caplog), run)
    assert "12 digits: 001090004567" in found


def test_the_scan_catches_a_secret_and_the_filter_drops_tracebacks() -> None:
    import io

    stream = io.StringIO()
    telemetry = PowertoolsTelemetry(stream=stream)
    try:
        with telemetry.request("c" * 32):
            try:
                raise ValueError(f"bad holder {HOLDER_ID}")
            except ValueError:
                logging.getLogger("docseal").exception("failed for qr %s", "DS1:SECRETPAYLOAD")
                # Chalice's own line when an exception escapes every view guard
                logging.getLogger("docseal").error(
                    "Caught exception for path %s", "/s/SHARESECRET", exc_info=True
                )
            telemetry.verdict("INVALID", ("HOLDER_MISMATCH", "not a code!"))
    finally:
        PowertoolsTelemetry()  # give the process's docseal logger back to stdout
    text = stream.getvalue()
    [logged, chalice, verdict, reason, odd] = json_lines(text)
    assert logged["correlation_id"] == "c" * 32 and logged["error_class"] == "ValueError"
    assert chalice["message"] == "Caught exception for path (withheld)"
    assert HOLDER_ID not in text and "Traceback" not in text and "SHARESECRET" not in text
    assert personal_data_in(text, Run(secrets={"DS1:SECRETPAYLOAD"})) != []
    assert (verdict["verdict"], reason["code"], odd["code"]) == (
        "INVALID",
        "HOLDER_MISMATCH",
        "OTHER",
    )
