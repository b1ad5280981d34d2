"""POST /api/v1/verify with photos, screenshots and PDFs: raw bodies and forms."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.files import plain_qr, save, write_all
from tests.functional.conftest import World, birth_request
from tests.support import HOLDER_ID


def issue(world: World) -> str:
    r = world.client.http.post(
        "/api/v1/documents",
        body=json.dumps(birth_request()),
        headers={"Content-Type": "application/json", **world.auth()},
    )
    assert r.status_code == 201
    return str(r.json_body["qr_text"])


@pytest.fixture
def docs(world: World, tmp_path: Path) -> tuple[str, str, dict[str, Path]]:
    first, second = issue(world), issue(world)
    return first, second, write_all(tmp_path / "files", first, second)


def upload(world: World, data: bytes, content_type: str, **headers: str) -> Any:
    return world.client.http.post(
        "/api/v1/verify", body=data, headers={"Content-Type": content_type, **headers}
    )


def form(world: World, data: bytes, filename: str, holder_id: str | None = None) -> Any:
    boundary = uuid.uuid4().hex
    parts = []
    if holder_id:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="holder_id"\r\n\r\n'
            f"{holder_id}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return upload(world, body, f"multipart/form-data; boundary={boundary}")


def test_png_upload_is_verified(world: World, docs: tuple[str, str, dict[str, Path]]) -> None:
    first, _second, files = docs
    r = upload(world, files["clean.png"].read_bytes(), "image/png")
    assert r.status_code == 200
    body = r.json_body
    assert body["verdict"] == "VALID" and body["source"]["format"] == "png"
    assert len(body["results"]) == 1 and body["results"][0]["verdict"] == "VALID"
    assert "zxing-cpp" in body["source"]["decoders"]
    assert first not in r.body.decode()  # the payload is not echoed back


def test_form_upload_with_holder_id(world: World, docs: tuple[str, str, dict[str, Path]]) -> None:
    _first, _second, files = docs
    r = form(world, files["exif_rotated.jpg"].read_bytes(), "photo.jpg", HOLDER_ID)
    assert r.status_code == 200 and r.json_body["results"][0]["holder_match"] == "MATCH"
    r = form(world, files["exif_rotated.jpg"].read_bytes(), "photo.jpg", "001090004567")
    assert r.json_body["results"][0]["reasons"] == ["HOLDER_MISMATCH"]


def test_two_results_on_one_page(world: World, docs: tuple[str, str, dict[str, Path]]) -> None:
    _first, _second, files = docs
    body = upload(world, files["two_codes.png"].read_bytes(), "image/png").json_body
    assert body["verdict"] == "VALID"
    assert [x["verdict"] for x in body["results"]] == ["VALID", "VALID"]
    assert len({x["document"]["id"] for x in body["results"]}) == 2


def test_pdf_upload(world: World, docs: tuple[str, str, dict[str, Path]]) -> None:
    _first, _second, files = docs
    body = upload(world, files["qr_on_page_2.pdf"].read_bytes(), "application/pdf").json_body
    assert body["verdict"] == "VALID" and body["results"][0]["page"] == 2


def test_bytes_decide_not_the_declared_type(
    world: World, docs: tuple[str, str, dict[str, Path]]
) -> None:
    _first, _second, files = docs
    jpeg_said_png = upload(world, files["cmyk.jpg"].read_bytes(), "image/png")
    assert jpeg_said_png.status_code == 200 and jpeg_said_png.json_body["verdict"] == "VALID"
    svg_said_png = upload(world, files["drawing.svg"].read_bytes(), "image/png")
    assert svg_said_png.status_code == 415
    assert svg_said_png.json_body["error"]["code"] == "UNSUPPORTED_FILE"


def test_no_qr_and_foreign_codes_are_verdicts_with_reasons(
    world: World, docs: tuple[str, str, dict[str, Path]]
) -> None:
    _first, _second, files = docs
    none = upload(world, files["no_qr.png"].read_bytes(), "image/png").json_body
    assert none["verdict"] == "INVALID" and none["reasons"] == ["NO_QR_FOUND"]
    assert none["hint"]["code"] == "cropped_or_absent" and none["hint"]["vi"]
    foreign = upload(world, files["non_utf8.png"].read_bytes(), "image/png").json_body
    assert foreign["reasons"] == ["NOT_A_DOCSEAL_CODE"]
    # bytes that are not UTF-8 are shown as a reader shows them (ISO-8859-1 here)
    assert foreign["results"][0]["text_preview"] == bytes.fromhex("fffe8041c3").decode("latin-1")
    cccd = "001325012345|012345678|Nguyễn Thị Hồng Nhung|14032025|Nữ|Hà Nội|01012026"
    card = upload(world, save(plain_qr(cccd), "PNG"), "image/png").json_body
    assert card["reasons"] == ["NOT_A_DOCSEAL_CODE"]
    assert HOLDER_ID not in json.dumps(card, ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("empty.png", 422, "CORRUPT_FILE"),
        ("huge_100000x100000.png", 413, "IMAGE_TOO_LARGE"),
        ("zero_width.png", 422, "CORRUPT_FILE"),
        ("text_chunk_bomb.png", 422, "CORRUPT_FILE"),
        ("animated.gif", 415, "UNSUPPORTED_FILE"),
        ("drawing.svg", 415, "UNSUPPORTED_FILE"),
        ("photo.heic", 415, "UNSUPPORTED_FILE"),
        ("pages_500.pdf", 422, "TOO_MANY_PAGES"),
        ("encrypted.pdf", 422, "CORRUPT_FILE"),
        ("broken.pdf", 422, "CORRUPT_FILE"),
    ],
)
def test_bad_files_get_their_code_never_a_500(
    world: World, docs: tuple[str, str, dict[str, Path]], name: str, status: int, code: str
) -> None:
    _first, _second, files = docs
    for response in (
        upload(world, files[name].read_bytes(), "application/octet-stream"),
        form(world, files[name].read_bytes(), name),
    ):
        assert response.status_code == status, response.body
        assert response.json_body["error"]["code"] == code
        assert "Traceback" not in response.body.decode("utf-8", "replace")


def test_structured_append_parts_are_reported_not_dropped(
    world: World, docs: tuple[str, str, dict[str, Path]]
) -> None:
    _first, _second, files = docs
    body = upload(world, files["structured_append_2.png"].read_bytes(), "image/png").json_body
    assert body["reasons"] == ["NOT_A_DOCSEAL_CODE"] and body["results"]


def test_form_without_file_and_malformed_form(world: World) -> None:
    r = upload(
        world,
        b"--x\r\nContent-Disposition: form-data; name=other\r\n\r\nv\r\n--x--\r\n",
        "multipart/form-data; boundary=x",
    )
    assert r.status_code == 400 and r.json_body["error"]["code"] == "MISSING_FILE"


def test_oversized_upload(world: World) -> None:
    limit = world.container.settings.intake.max_file_bytes
    r = upload(world, b"\x89PNG\r\n\x1a\n" + b"\0" * (limit + 100_000), "image/png")
    assert r.status_code == 413 and r.json_body["error"]["code"] == "FILE_TOO_LARGE"


def test_health_lists_the_decoders(world: World) -> None:
    decoders = world.client.http.get("/api/v1/health").json_body["decoders"]
    assert decoders[0] == "zxing-cpp"
