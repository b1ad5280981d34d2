"""Damaged but viewable files and PDFs as a viewer shows them, through every
door: the API, the desk page and the CLI (issue 13, parts 2 and 3).

The officers' cases: a phone JPEG without its end marker or its last 4 KiB
(Pillow#4414), a PDF whose code is a signature box's or a button's
appearance (pypdfium2#311), a PDF with a permissions password only
(PdfiumViewer#190). Every input is built here from a freshly issued result."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from chalicelib.services.files import NOTES
from tests.files import plain_qr, qr_image, save
from tests.files_builders import (
    jpeg_cut,
    jpeg_without_eoi,
    owner_password_pdf,
    pdf_code_in_annotation,
    phone_jpeg,
    phone_page,
    png_cut_after_row,
    png_with_bad_text_checksum,
)
from tests.functional.conftest import World
from tests.functional.pages import FORM

from .test_api import issue
from .test_cli import Cli
from .test_cli import issue as cli_issue

LOCAL = pytest.mark.parametrize("world", ["local"], indirect=True)  # files, not storage
OTHER_SYSTEM = "https://dichvucong.gov.vn/p/tra-cuu-ho-so?ma=000.00.01.H26-250314-0001"


def damaged_files(qr_text: str) -> dict[str, bytes]:
    """Each case's files, named as the cases name them, for one result."""
    code = qr_image(qr_text)
    jpeg = phone_jpeg(code)
    return {
        "complete.jpg": jpeg,
        "no-eoi.jpg": jpeg_without_eoi(jpeg),
        "short-4k.jpg": jpeg_cut(jpeg, 4096),
        "bad-text-crc.png": png_with_bad_text_checksum(save(phone_page(code), "PNG")),
        "stamp.pdf": pdf_code_in_annotation(code, "stamp"),
        "widget-sig.pdf": pdf_code_in_annotation(code, "signature"),
        "widget-btn.pdf": pdf_code_in_annotation(code, "button"),
        "owner-rc4.pdf": owner_password_pdf(code, "RC4"),
        "owner-aes128.pdf": owner_password_pdf(code, "AES_128"),
        "owner-aes256.pdf": owner_password_pdf(code, "AES_256"),
    }


INCOMPLETE = {"short-4k.jpg", "bad-text-crc.png"}  # noted "incomplete"
MAYBE_INCOMPLETE = {"no-eoi.jpg"}  # libjpeg may finish before it misses the end marker
READ = [
    "complete.jpg",
    "no-eoi.jpg",
    "short-4k.jpg",
    "bad-text-crc.png",
    "stamp.pdf",
    "widget-sig.pdf",
    "widget-btn.pdf",
    "owner-rc4.pdf",
    "owner-aes128.pdf",
    "owner-aes256.pdf",
]


def api_verify(world: World, data: bytes) -> Any:
    return world.client.http.post(
        "/api/v1/verify", body=data, headers={"Content-Type": "application/octet-stream"}
    )


def desk_upload(world: World, data: bytes, filename: str, lang: str = "en") -> Any:
    """The desk form posted with a file, as a browser posts it."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="lang"\r\n\r\n{lang}\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {**FORM, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return world.client.http.post("/", body=body, headers=headers)


@pytest.fixture
def files(world: World) -> dict[str, bytes]:
    return damaged_files(issue(world)["qr_text"])


@LOCAL
def test_the_api_reads_every_case_and_notes_the_damaged_ones(
    world: World, files: dict[str, bytes]
) -> None:
    for name in READ:
        r = api_verify(world, files[name])
        assert r.status_code == 200, (name, r.body[:300])
        body = r.json_body
        assert body["verdict"] == "VALID" and body["reasons"] == [], name
        if name in INCOMPLETE:
            (note,) = body["notes"]
            assert note["code"] == "incomplete" and note["vi"] and note["en"], name
        elif name not in MAYBE_INCOMPLETE:
            assert "notes" not in body, name


@LOCAL
def test_the_desk_page_reads_every_case(world: World, files: dict[str, bytes]) -> None:
    for name in READ:
        r = desk_upload(world, files[name], name)
        html = r.body.decode()
        assert r.status_code == 200, (name, html[-500:])
        assert 'data-state="valid"' in html and 'id="hint"' not in html, name


@LOCAL
def test_a_form_field_holding_another_systems_code_is_not_a_docseal_code(world: World) -> None:
    data = pdf_code_in_annotation(plain_qr(OTHER_SYSTEM), "signature")
    body = api_verify(world, data).json_body
    assert body["verdict"] == "INVALID" and body["reasons"] == ["NOT_A_DOCSEAL_CODE"]
    assert [x["text_preview"] for x in body["results"]] == [OTHER_SYSTEM[:80]]
    html = desk_upload(world, data, "widget.pdf").body.decode()
    assert "dichvucong.gov.vn" in html and 'data-state="valid"' not in html


@LOCAL
def test_a_truncated_png_whose_code_is_in_the_missing_rows_is_never_a_crash(world: World) -> None:
    qr_text = issue(world)["qr_text"]
    data = png_cut_after_row(phone_page(qr_image(qr_text), top=900), 1000)
    r = api_verify(world, data)
    if r.status_code == 422:
        assert r.json_body["error"]["code"] == "CORRUPT_FILE"
    else:
        body = r.json_body
        assert r.status_code == 200 and body["reasons"] == ["NO_QR_FOUND"]
        assert body["hint"]["code"] != "blurred"  # the rows are missing, not blurred
        assert [n["code"] for n in body["notes"]] == ["incomplete"]
    page = desk_upload(world, data, "cut.png")
    assert page.status_code in {200, 422} and "Traceback" not in page.body.decode()


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    home = tmp_path_factory.mktemp("damaged") / "home"
    c = Cli(home)
    people = home.parent / "people.csv"
    people.write_text(
        "id_number,full_name,dob,gender,status\n"
        "001325012345,Nguyễn Thị Hồng Nhung,2025-03-14,female,active\n",
        encoding="utf-8",
    )
    name = "UBND phường Dịch Vọng Hậu"
    types = "birth-registration"
    assert c.run("issuer", "add", "UBND-DICHVONGHAU", "--name", name, "--types", types)[0] == 0
    assert c.run("key", "create", "--issuer", "UBND-DICHVONGHAU")[0] == 0
    assert c.run("identity", "import", str(people))[0] == 0
    return c


def test_the_cli_verifies_and_decodes_every_case(cli: Cli, tmp_path: Path) -> None:
    qr_text = str(cli_issue(cli, tmp_path / "out")["qr_text"])
    for name, data in damaged_files(qr_text).items():
        path = tmp_path / name
        path.write_bytes(data)
        code, verdict = cli.run("verify", str(path))
        assert code == 0 and verdict["verdict"] == "VALID", (name, verdict)
        notes = [n["code"] for n in verdict.get("notes", [])]
        if name not in MAYBE_INCOMPLETE:
            assert notes == (["incomplete"] if name in INCOMPLETE else []), name
    code, decoded = cli.run("decode", str(tmp_path / "widget-btn.pdf"))
    assert code == 0 and decoded["texts"] == [qr_text]


def test_every_file_note_is_documented_with_its_texts() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "REASONS.md").read_text()
    for code, (vi, en) in NOTES.items():
        assert f"`{code}`" in text and vi in text and en in text


@LOCAL
def test_the_desk_page_notes_a_damaged_file(world: World, files: dict[str, bytes]) -> None:
    for lang, text in (
        ("en", "The file is damaged or incomplete; the part that can be shown was read."),
        ("vi", "Tệp bị hỏng hoặc không đầy đủ; đã đọc phần hiển thị được."),
    ):
        html = desk_upload(world, files["short-4k.jpg"], "photo.jpg", lang).body.decode()
        assert 'data-code="incomplete"' in html and text in html
        assert 'data-state="valid"' in html
    whole = desk_upload(world, files["complete.jpg"], "photo.jpg").body.decode()
    assert 'data-code="incomplete"' not in whole
