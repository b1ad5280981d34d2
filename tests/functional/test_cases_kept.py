"""Inputs real users produced that docseal already handled, kept so (issue 13:
every such case is a test of the project's own suite, its inputs made here):
multipart bodies with a quoted boundary and an NFD file name, as .NET's
HttpClient and macOS browsers send them; Vietnamese names typed in NFD on one
side and NFC on the other."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import pypdfium2
import pytest
from PIL import Image

from tests.functional.conftest import OPERATOR, World, birth_request
from tests.support import BIRTH_FIELDS

from .test_api import issue, post

pytestmark = pytest.mark.parametrize("world", ["local"], indirect=True)

BOUNDARY = "docseal-case-7Qx2"


def multipart(jpeg: bytes, filename: str) -> bytes:
    b = BOUNDARY.encode()
    return (
        b"--" + b + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="'
        + filename.encode("utf-8")
        + b'"\r\nContent-Type: image/jpeg\r\n\r\n'
        + jpeg
        + b"\r\n--"
        + b
        + b'\r\nContent-Disposition: form-data; name="lang"\r\n\r\nen\r\n--'
        + b
        + b"--\r\n"
    )


def test_quoted_boundaries_and_nfd_file_names(world: World) -> None:
    png = world.container.documents.png_for(issue(world)["qr_text"])
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, "JPEG", quality=90)
    nfd = unicodedata.normalize("NFD", "Ảnh chụp màn hình 2026-11-30 lúc 10.15.jpg")
    for content_type, name in (
        (f"multipart/form-data; boundary={BOUNDARY}", "anh.jpg"),
        (f'multipart/form-data; boundary="{BOUNDARY}"', "anh.jpg"),
        (f'multipart/form-data; boundary="{BOUNDARY}"', nfd),
    ):
        body = multipart(buffer.getvalue(), name)
        api = world.client.http.post(
            "/api/v1/verify", body=body, headers={"Content-Type": content_type}
        )
        assert api.status_code == 200 and api.json_body["verdict"] == "VALID", api.body[:300]
        page = world.client.http.post("/", body=body, headers={"Content-Type": content_type})
        assert page.status_code == 200 and 'data-state="valid"' in page.body.decode()


def names_in(verdict: dict[str, Any]) -> list[str]:
    document = verdict["document"]
    fathers = [f["value"] for f in document["fields"] if f["code"] == "father_name"]
    return [document["holder"]["full_name"], *fathers]


def test_names_in_nfd_and_nfc_meet_as_nfc(world: World) -> None:
    people = [
        ("001199012345", "Nguyễn Thị Hiếu", "1999-01-01", "female"),
        ("001098054321", "Trần Văn Đức", "1998-02-02", "male"),
    ]
    world.container.identities.import_identities(
        [
            {
                "id_number": number,
                "full_name": unicodedata.normalize("NFD", name),
                "dob": dob,
                "gender": gender,
                "status": "active",
            }
            for number, name, dob, gender in people
        ],
        actor=OPERATOR,
    )
    typed = [
        (people[0], "Nguyễn Văn Bình"),  # typed precomposed
        (
            (people[1][0], unicodedata.normalize("NFD", people[1][1]), *people[1][2:]),
            unicodedata.normalize("NFD", "Trần Văn Bảo"),
        ),  # pasted decomposed
    ]
    for (number, name, dob, _gender), father in typed:
        request = birth_request(
            holder={"id_number": number, "full_name": name, "dob": dob},
            fields={**BIRTH_FIELDS, "father_name": father},
        )
        r = post(world, "/api/v1/documents", request, world.auth())
        assert r.status_code == 201, r.body
        verdict = post(world, "/api/v1/verify", {"qr_text": r.json_body["qr_text"]}).json_body
        assert verdict["verdict"] == "VALID", verdict["reasons"]
        names = names_in(verdict)
        assert names == [unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", father)]
        assert all(unicodedata.is_normalized("NFC", n) for n in names)
        pdf = pypdfium2.PdfDocument(world.container.documents.pdf_for(r.json_body["qr_text"]))
        text = pdf[0].get_textpage().get_text_range()
        assert not any(unicodedata.combining(c) for c in text)
        assert unicodedata.normalize("NFC", name) in unicodedata.normalize("NFC", text)
