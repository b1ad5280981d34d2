"""Uploads are judged by their bytes, whatever type the client declares
(issue 13, part 6): ``image/jpg``, ``image/pjpeg``, ``image/x-png``,
``application/x-pdf``, ``application/octet-stream``, a made-up type or none.
What docseal cannot read is refused with its own ``UNSUPPORTED_FILE``, never
Chalice's 415, through the test client and through the Lambda handler with the
base64 bodies API Gateway hands over (binary media types ``*/*``)."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from fpdf import FPDF
from PIL import Image

from tests.functional.conftest import World

from .test_api import issue

pytestmark = pytest.mark.parametrize("world", ["local"], indirect=True)

DECLARED = [
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/x-png",
    "image/png",
    "application/x-pdf",
    "application/pdf",
    "application/octet-stream",
    "binary/octet-stream",
    "image/x-made-up",
    "text/plain",
    "",
]


def files_of(world: World) -> dict[str, bytes]:
    """One genuine result as a PNG, a JPEG and a PDF."""
    png = world.container.documents.png_for(issue(world)["qr_text"])
    image = Image.open(io.BytesIO(png)).convert("L")
    jpeg = io.BytesIO()
    image.resize((image.width * 2, image.height * 2)).save(jpeg, "JPEG", quality=90)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=30, y=40, w=90)
    return {"png": png, "jpeg": jpeg.getvalue(), "pdf": bytes(pdf.output())}


def post_raw(world: World, data: bytes, declared: str) -> Any:
    headers = {"Content-Type": declared} if declared else {}
    return world.client.http.post("/api/v1/verify", body=data, headers=headers)


def test_every_declared_type_is_judged_by_the_bytes(world: World) -> None:
    files = files_of(world)
    wrong = []
    for declared in DECLARED:
        for kind, data in files.items():
            r = post_raw(world, data, declared)
            body = json.loads(r.body)
            if r.status_code != 200 or body.get("verdict") != "VALID":
                wrong.append(f"{kind} as {declared or '(none)'}: {r.status_code} {body}")
            elif body["source"]["format"] != kind:
                wrong.append(f"{kind} as {declared}: read as {body['source']['format']}")
    assert wrong == []


@pytest.mark.parametrize("declared", ["image/jpg", "image/svg+xml", "application/x-pdf", ""])
def test_what_docseal_cannot_read_is_refused_in_its_own_words(world: World, declared: str) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    for data, code in ((svg, "UNSUPPORTED_FILE"), (b"GIF89a" + b"\0" * 64, "UNSUPPORTED_FILE")):
        r = post_raw(world, data, declared)
        assert r.status_code == 415, r.body
        body = json.loads(r.body)
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
        assert body["error"]["code"] == code


def test_a_json_text_still_needs_no_file(world: World) -> None:
    genuine = issue(world)["qr_text"]
    for declared in ("application/json", "application/json; charset=utf-8", "text/json", ""):
        r = post_raw(world, json.dumps({"qr_text": genuine}).encode(), declared)
        assert r.status_code == 200 and json.loads(r.body)["verdict"] == "VALID", (declared, r.body)


def lambda_event(data: bytes, declared: str) -> dict[str, Any]:
    """What API Gateway (binary media types ``*/*``) hands the function."""
    headers = {"content-type": declared} if declared else {}
    return {
        "resource": "/api/v1/verify",
        "path": "/api/v1/verify",
        "httpMethod": "POST",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/api/v1/verify",
            "httpMethod": "POST",
            "requestId": "apigw-media",
            "path": "/api/api/v1/verify",
            "identity": {"sourceIp": "203.0.113.9"},
        },
        "body": base64.b64encode(data).decode("ascii"),
        "isBase64Encoded": True,
    }


def test_through_the_lambda_handler(world: World) -> None:
    from app import app

    files = files_of(world)
    for declared in ("image/jpg", "image/pjpeg", "application/x-pdf", ""):
        for kind, data in files.items():
            answer = app(lambda_event(data, declared), None)
            assert answer["statusCode"] == 200, (kind, declared, answer["body"][:300])
            assert json.loads(answer["body"])["verdict"] == "VALID", (kind, declared)
    refused = app(lambda_event(b"GIF89a" + b"\0" * 64, "image/jpg"), None)
    assert refused["statusCode"] == 415
    assert json.loads(refused["body"])["error"]["code"] == "UNSUPPORTED_FILE"
    text = app(lambda_event(json.dumps({"qr_text": "DS1:AAAA"}).encode(), "application/json"), None)
    assert text["statusCode"] == 200 and json.loads(text["body"])["reasons"] == ["MALFORMED"]


def test_a_page_form_through_the_lambda_handler_as_bytes(world: World) -> None:
    """With binary media types ``*/*`` API Gateway hands a page's form over
    base64-encoded too: the desk still reads it."""
    from urllib.parse import urlencode

    from app import app

    genuine = issue(world)["qr_text"]
    event = lambda_event(
        urlencode({"qr_text": genuine, "lang": "en"}).encode(), "application/x-www-form-urlencoded"
    )
    event["resource"] = event["path"] = "/"
    event["requestContext"]["resourcePath"] = "/"
    answer = app(event, None)
    assert answer["statusCode"] == 200
    html = (
        answer["body"]
        if not answer.get("isBase64Encoded")
        else base64.b64decode(answer["body"]).decode()
    )
    assert 'data-state="valid"' in html
