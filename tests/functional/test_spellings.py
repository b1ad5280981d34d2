"""One reading of a QR text on every door (issue 13, part 1).

The table of tests/spellings.py (a genuine code as reader apps, keyboards and
copy-paste hand it on; other systems' texts; damaged docseal texts) goes
through the API, the desk page, the CLI, a camera URL whose ``#`` was
percent-encoded, and a QR code holding the text uploaded as a file: each door
must give the same verdict and reason, because one function (``qrtext.canonical``)
decides. Each door's test runs the whole table and lists every row that
differs.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
import qrcode
from qrcode.util import MODE_8BIT_BYTE, QRData

from chalicelib import cli
from tests.functional.conftest import World
from tests.functional.pages import post_form
from tests.spellings import FOREIGN, damaged, spellings

from .test_api import issue, post

pytestmark = pytest.mark.parametrize("world", ["local"], indirect=True)

Outcome = tuple[str, tuple[str, ...]]  # (verdict, reasons)
Row = tuple[str, str, Outcome]  # (name, text, expected)


def table(genuine: str) -> list[Row]:
    rows: list[Row] = [(name, text, ("VALID", ())) for name, text in spellings(genuine)]
    rows += [(name, text, ("INVALID", ("NOT_A_DOCSEAL_CODE",))) for name, text in FOREIGN]
    rows += [(name, text, ("INVALID", (reason,))) for name, text, reason in damaged(genuine)]
    return rows


def mismatches(rows: list[Row], door: Callable[[str], Outcome | None]) -> list[str]:
    """Every row whose door answer differs from the table (None: the door skips it)."""
    wrong = []
    for name, text, expected in rows:
        got = door(text)
        if got is not None and got != expected:
            wrong.append(f"{name}: expected {expected}, got {got}")
    return wrong


def test_the_api(world: World) -> None:
    def door(text: str) -> Outcome | None:
        r = post(world, "/api/v1/verify", {"qr_text": text})
        if r.status_code == 413:  # larger than a JSON body may be: refused, in docseal's words
            assert r.json_body["error"]["code"] == "PAYLOAD_TOO_LARGE"
            assert len(text) > 60_000
            return None
        assert r.status_code == 200, r.body
        return r.json_body["verdict"], tuple(r.json_body["reasons"])

    assert mismatches(table(issue(world)["qr_text"]), door) == []


_STATE = re.compile(r'data-state="([a-z_-]+)"')
_CODE = re.compile(r'class="reason" data-code="([A-Z_]+)"')


def page_outcome(html: str) -> Outcome:
    """The verdict and reasons a result page shows, read from its markup."""
    states = _STATE.findall(html)
    return ("VALID" if states == ["valid"] else "INVALID"), tuple(
        dict.fromkeys(_CODE.findall(html))
    )


def test_the_desk_page(world: World) -> None:
    def door(text: str) -> Outcome:
        r = post_form(world, "/", {"qr_text": text, "lang": "en"})
        html = r.body.decode()
        if r.status_code == 400:  # nothing pasted: the form asks for a file or a text
            assert "MISSING_FILE" in html, html[-800:]
            return "INVALID", ("NOT_A_DOCSEAL_CODE",)
        assert r.status_code == 200, html[-800:]
        return page_outcome(html)

    rows = table(issue(world)["qr_text"])
    assert mismatches(rows, door) == []
    # a blank text is "nothing given" on the page, not a verdict
    blank = post_form(world, "/", {"qr_text": " \u200b\n", "lang": "en"})
    assert blank.status_code == 400


def test_the_cli(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    def door(text: str) -> Outcome:
        status = cli.main(["verify", "--text", text])
        out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert status == (0 if out["verdict"] == "VALID" else 1), out
        return out["verdict"], tuple(out["reasons"])

    assert mismatches(table(issue(world)["qr_text"]), door) == []


def test_a_camera_url_with_its_hash_percent_encoded(world: World) -> None:
    """What a phone's browser requests when a reader app encoded the ``#``:
    the verdict page for a docseal code, docseal's 404 page for anything else."""
    genuine = issue(world)["qr_text"]
    payload = genuine.rsplit("#", 1)[1]
    b32 = payload[4:]
    paths: list[tuple[str, str, Outcome | None]] = [
        ("pct-hash", "/v%23" + payload, ("VALID", ())),
        ("pct-hash-colon", "/v%23" + payload.replace(":", "%3A"), ("VALID", ())),
        ("pct-twice", "/v%2523DS1%253A" + b32, ("VALID", ())),
        ("upper-v", "/V%23" + payload, ("VALID", ())),
        ("slash", "/v/" + payload, ("VALID", ())),
        ("lower", "/v%23" + payload.lower(), ("VALID", ())),
        ("no-colon", "/v%23DS1" + b32, ("INVALID", ("MALFORMED",))),
        ("version-2", "/v%23DS2%3A" + b32, ("INVALID", ("UNSUPPORTED_VERSION",))),
        ("pct-three-times", "/v%252523DS1%25253A" + b32, ("VALID", ())),
        ("pct-fullwidth", "/v%23" + quote("DS1\uff1a" + b32), ("VALID", ())),
        ("another-fragment", "/v%23intro", ("INVALID", ("NOT_A_DOCSEAL_CODE",))),
        ("slash-not-docseal", "/v/intro.css", None),
        ("another-path", "/va%23" + payload, None),
    ]
    wrong = []
    for name, path, expected in paths:
        r = world.client.http.get(path)
        html = r.body.decode()
        got: Outcome | None = page_outcome(html) if r.status_code == 200 else None
        if expected is None and r.status_code != 404:
            wrong.append(f"{name}: expected docseal's 404 page, got {r.status_code}")
        elif expected is not None and got != expected:
            wrong.append(f"{name}: expected {expected}, got {r.status_code} {got}")
    assert wrong == []
    head = world.client.http.head("/v%23" + payload)  # what a link checker asks first
    assert head.status_code == 200 and not head.body


def qr_png(text: str) -> bytes:
    code = qrcode.QRCode(border=4, box_size=4, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(QRData(text.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make()
    buffer = io.BytesIO()
    code.make_image().get_image().convert("L").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_code_holding_the_text_uploaded_as_a_file(world: World) -> None:
    """The file path reads the codes it finds with the same function: a foreign
    code is NOT_A_DOCSEAL_CODE there too, a damaged docseal code MALFORMED."""

    def door(text: str) -> Outcome | None:
        if not 0 < len(text.encode()) <= 2000 or not text.strip():
            return None  # no QR code holds it (or only white space)
        r = world.client.http.post(
            "/api/v1/verify", body=qr_png(text), headers={"Content-Type": "image/png"}
        )
        assert r.status_code == 200, r.body
        body = r.json_body
        if body["reasons"]:
            return body["verdict"], tuple(body["reasons"])
        [only] = body["results"]
        return only["verdict"], tuple(only["reasons"])

    assert mismatches(table(issue(world)["qr_text"]), door) == []


def test_a_docseal_code_inside_an_eci_26_designator(world: World) -> None:
    """ECI 26 says "UTF-8" before the payload: the text is the same code."""
    import segno

    genuine = issue(world)["qr_text"]
    buffer = io.BytesIO()
    segno.make(genuine, encoding="utf-8", eci=True, micro=False).save(buffer, kind="png", scale=4)
    r = world.client.http.post(
        "/api/v1/verify", body=buffer.getvalue(), headers={"Content-Type": "image/png"}
    )
    assert r.status_code == 200 and r.json_body["verdict"] == "VALID", r.body


def test_docseal_decode_shows_every_charset(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``docseal decode`` prints the text of a Shift_JIS code and its bytes."""
    import segno

    text = "証明書の写し"
    path = tmp_path / "sjis.png"
    segno.make(text, encoding="shift_jis", mode="byte", micro=False).save(str(path), scale=5)
    assert cli.main(["decode", str(path)]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["texts"] == [text]
    assert line["codes"] == [{"page": 0, "text": text, "hex": text.encode("shift_jis").hex()}]


def test_a_share_link_given_at_the_desk_opens_it(world: World) -> None:
    """A citizen's share link pasted into the desk's text box, or its QR code
    uploaded, opens the link's page; to the API it stays another code."""
    from .test_damaged_files import desk_upload
    from .test_links import create

    url = create(world, issue(world)["id"]).json_body["url"]
    path = "/s/" + url.rsplit("/s/", 1)[1]
    # a token that happens to hold "_dS5" is still a share link, not a damaged code
    odd = "https://h.vn/s/mEltJNNtAwILRQhm_dS5X4FDt1sW96UA"
    r = post_form(world, "/", {"qr_text": odd, "lang": "en"})
    assert r.status_code == 303 and r.headers["Location"].startswith("/s/mEltJNNtAwILRQhm_dS5")
    for given in (
        "(" + url + ").",
        url,
        "  " + url + "\n",
        url.replace("://", "%3A%2F%2F").replace("/s/", "%2Fs%2F"),
        path,
    ):
        r = post_form(world, "/", {"qr_text": given, "lang": "en"})
        assert r.status_code == 303 and r.headers["Location"] == f"{path}?lang=en", given
    scanned = desk_upload(world, qr_png(url), "link.png", "vi")
    assert scanned.status_code == 303 and scanned.headers["Location"] == f"{path}?lang=vi"
    api = post(world, "/api/v1/verify", {"qr_text": url}).json_body
    assert api["reasons"] == ["NOT_A_DOCSEAL_CODE"]
    opened = world.client.http.get(f"{path}?lang=en")
    assert opened.status_code == 200 and 'data-state="valid"' in opened.body.decode()


def test_a_foreign_code_beside_a_genuine_one_leaves_it_valid(world: World) -> None:
    """Another system's code on the same page (a shop URL holding "ds7", a
    Wi-Fi name "DS1-Guest") is listed as not docseal's; the page stays VALID."""
    from PIL import Image

    genuine = Image.open(io.BytesIO(qr_png(issue(world)["qr_text"])))
    for foreign_text in ("https://www.dsautomobiles.vn/ds7.html", "WIFI:T:WPA;S:DS1-Guest;P:x;;"):
        foreign = Image.open(io.BytesIO(qr_png(foreign_text)))
        page = Image.new("L", (genuine.width + foreign.width + 40, genuine.height), 255)
        page.paste(genuine, (0, 0))
        page.paste(foreign, (genuine.width + 40, 0))
        buffer = io.BytesIO()
        page.save(buffer, "PNG")
        r = world.client.http.post(
            "/api/v1/verify", body=buffer.getvalue(), headers={"Content-Type": "image/png"}
        )
        body = r.json_body
        assert body["verdict"] == "VALID", (foreign_text, body["reasons"])
        assert sorted(x["verdict"] for x in body["results"]) == ["INVALID", "VALID"]
