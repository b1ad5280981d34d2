"""The docseal command, as separate processes over one DOCSEAL_HOME: every call
is a restart, so these also prove that state and keys survive restarts."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

DOCSEAL = str(Path(sys.executable).parent / "docseal")
HOLDER = [
    "--holder-id",
    "001325012345",
    "--holder-name",
    "Nguyễn Thị Hồng Nhung",
    "--holder-dob",
    "2025-03-14",
]
FIELDS = [
    "--field",
    "birth_place=Bệnh viện Phụ sản Hà Nội",
    "--field",
    "registration_date=2025-03-20",
    "--field",
    "registration_no=125/2025",
    "--field",
    "father_name=Nguyễn Văn Hùng",
    "--field",
    "mother_name=Lê Thị Mai",
    "--field",
    "registrar=Nguyễn Thị Thu Hà",
]


class Cli:
    def __init__(self, home: Path) -> None:
        self.env = {
            **os.environ,
            "DOCSEAL_HOME": str(home),
            "DOCSEAL_PUBLIC_URL": "https://docseal.example.vn",
        }

    def process(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """The finished process, stderr and all (there is never a traceback)."""
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
        p = subprocess.run(
            [DOCSEAL, *args], text=True, env=self.env, timeout=60, check=False, **streams
        )
        assert "Traceback" not in (p.stderr or ""), p.stderr
        return p

    def run(self, *args: str) -> tuple[int, Any]:
        p = self.process(*args)
        out = p.stdout.strip()
        if not out:
            return p.returncode, None
        try:
            return p.returncode, json.loads(out.splitlines()[-1])
        except ValueError:
            return p.returncode, out


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    home = tmp_path_factory.mktemp("cli") / "home"
    c = Cli(home)
    csv = home.parent / "people.csv"
    csv.write_text(
        "id_number,full_name,dob,gender,status\n"
        "001325012345,Nguyễn Thị Hồng Nhung,2025-03-14,female,active\n"
        "001090004567,Trần Văn Nam,1990-05-17,male,active\n",
        encoding="utf-8",
    )
    assert (
        c.run(
            "issuer",
            "add",
            "UBND-DICHVONGHAU",
            "--name",
            "UBND phường Dịch Vọng Hậu",
            "--types",
            "birth-registration,marital-status",
        )[0]
        == 0
    )
    assert c.run("key", "create", "--issuer", "UBND-DICHVONGHAU")[0] == 0
    assert c.run("identity", "import", str(csv)) == (0, {"imported": 2, "rejected": 0})
    return c


def issue(cli: Cli, out: Path, *extra: str) -> dict[str, Any]:
    code, body = cli.run(
        "issue",
        "--issuer",
        "UBND-DICHVONGHAU",
        "--type",
        "birth-registration",
        *HOLDER,
        *FIELDS,
        "--out",
        str(out),
        *extra,
    )
    assert code == 0, body
    return body  # type: ignore[no-any-return]


def test_issue_then_verify_in_new_processes(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    assert set(doc) == {"id", "qr_text"}
    png = Image.open(tmp_path / "out" / "qr.png")
    assert [b.text for b in zxingcpp.read_barcodes(png)] == [doc["qr_text"]]
    assert (tmp_path / "out" / "result.pdf").read_bytes().startswith(b"%PDF")
    code, verdict = cli.run("verify", "--text", doc["qr_text"])
    assert code == 0 and verdict["verdict"] == "VALID" and verdict["reasons"] == []


def test_tampered_text_is_invalid_with_exit_1(cli: Cli, tmp_path: Path) -> None:
    import cbor2

    from chalicelib.domain import qrtext

    doc = issue(cli, tmp_path / "out")
    parts = list(cbor2.loads(qrtext.decode(doc["qr_text"])).value)
    claims = cbor2.loads(parts[2])
    claims[-65537][4]["father_name"] = "Người Khác"
    parts[2] = cbor2.dumps(claims)
    forged = qrtext.encode(cbor2.dumps(cbor2.CBORTag(18, parts)))
    code, verdict = cli.run("verify", "--text", forged)
    assert code == 1 and verdict["reasons"] == ["SIGNATURE_INVALID"]
    broken = doc["qr_text"][:-12] + "AAAAAAAAAAAA"
    code, verdict = cli.run("verify", "--text", broken)
    assert code == 1 and verdict["reasons"] == ["MALFORMED"]


def test_wrong_holder_is_holder_mismatch(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    code, verdict = cli.run("verify", "--text", doc["qr_text"], "--holder-id", "001090004567")
    assert code == 1 and verdict["reasons"] == ["HOLDER_MISMATCH"]
    code, verdict = cli.run("verify", "--text", doc["qr_text"], "--holder-id", "001325012345")
    assert code == 0 and verdict["holder_match"] == "MATCH"


def test_verify_at_a_time_after_expiry(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out", "--expires", "2099-12-31")
    code, verdict = cli.run("verify", "--text", doc["qr_text"], "--at", "2100-01-01T00:00:00Z")
    assert code == 1 and verdict["reasons"] == ["EXPIRED"]


@pytest.mark.parametrize(
    "args",
    [
        ["verify"],
        ["decode"],
        ["verify", "--text", "x", "--at", "yesterday"],
        ["verify", "--text", "DS1:AAAA", "--holder-id", "12"],
        ["issue", "--issuer", "UBND-DICHVONGHAU"],
        [
            "issue",
            "--issuer",
            "UBND-DICHVONGHAU",
            "--type",
            "birth-registration",
            *HOLDER,
            "--field",
            "no-equals-sign",
            "--out",
            "/tmp/x",
        ],
        [
            "issue",
            "--issuer",
            "UBND-DICHVONGHAU",
            "--type",
            "birth-registration",
            "--holder-id",
            "00132501234",
            "--holder-name",
            "A",
            "--holder-dob",
            "2025-03-14",
            *FIELDS,
            "--out",
            "/tmp/x",
        ],
        ["token", "--role", "emperor"],
        ["token", "--role", "issuer"],
        ["token", "--role", "citizen"],
        ["issuer", "add", "lower case", "--name", "x", "--types", "birth-registration"],
        ["issuer", "add", "X-NEW", "--name", "x", "--types", "passport"],
        ["identity", "import", "/nonexistent.csv"],
        ["key", "create", "--issuer", "NOBODY"],
        ["nonsense"],
    ],
)
def test_bad_input_exits_2(cli: Cli, args: list[str]) -> None:
    code, _ = cli.run(*args)
    assert code == 2


def test_identity_import_streams_good_rows_and_writes_rejects(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_bytes(
        (
            "\ufeffid_number,full_name,dob,gender,status\n"  # a BOM
            "036088005566,Hoàng Minh Tuấn,1988-12-30,male,active\n"
            "03608800556,Mười Một Số,1988-12-30,male,active\n"  # 11 digits
            "036088005568,Sai Trạng Thái,1988-12-30,male,alive\n"  # unknown status
            "036088005566,Hoàng Minh Tuấn,1988-12-30,male,active\n"  # the same again
            "036088005566,Hoàng Minh Tuấn,1988-12-30,male,deceased\n"  # conflicting
            "036088005567,Sai Năm Sinh,1989-12-30,male,active\n"  # year vs ID
        ).encode("utf-8")
    )
    code, body = cli.run("identity", "import", str(bad))
    assert code == 1 and body == {
        "imported": 1,
        "rejected": 4,
        "rejects_file": str(tmp_path / "people.rejected.csv"),
    }
    rejects = (tmp_path / "people.rejected.csv").read_text().splitlines()
    assert rejects[0] == "row,code,reason"
    assert [line.split(",")[:2] for line in rejects[1:]] == [
        ["2", "INVALID_ID_NUMBER"],
        ["3", "INVALID_STATUS"],
        ["5", "DUPLICATE_ROW"],
        ["6", "ID_BIRTH_YEAR_MISMATCH"],
    ]
    assert "03608800556" not in "\n".join(rejects)  # reasons, not the numbers
    # importing again changes nothing (idempotent) and a status change takes effect
    code, body = cli.run("identity", "import", str(bad), "--rejects", str(tmp_path / "r2.csv"))
    assert code == 1 and body["imported"] == 1
    wrong_columns = tmp_path / "cols.csv"
    wrong_columns.write_text("id,name\n1,2\n")
    assert cli.run("identity", "import", str(wrong_columns))[1]["error"]["code"] == "CSV_COLUMNS"
    reordered = tmp_path / "order.csv"
    reordered.write_text("full_name,id_number,dob,gender,status\n")
    assert cli.run("identity", "import", str(reordered))[1]["error"]["code"] == "CSV_COLUMNS"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        b"id_number,full_name,dob,gender,status\n036088005566,Ho\xe0ng,1988-12-30,male,active\n"
    )
    assert cli.run("identity", "import", str(latin))[1]["error"]["code"] == "FILE_NOT_UTF8"


def test_token_doctype_and_lists(cli: Cli) -> None:
    code, token = cli.run("token", "--role", "issuer", "--issuer", "UBND-DICHVONGHAU")
    assert code == 0 and isinstance(token, str) and token.count(".") == 2
    code, last = cli.run("doctype", "list")
    assert code == 0 and last["code"] == "verification-receipt"
    p = subprocess.run(
        [DOCSEAL, "doctype", "list"], capture_output=True, text=True, env=cli.env, check=True
    )
    birth = json.loads(p.stdout.splitlines()[0])
    assert [f["code"] for f in birth["fields"]] == [
        "birth_place",
        "registration_date",
        "registration_no",
        "father_name",
        "mother_name",
        "registrar",
    ]
    code, key = cli.run("key", "list", "--issuer", "UBND-DICHVONGHAU")
    assert code == 0 and key["status"] == "active"


def test_key_files_are_encrypted_at_rest(cli: Cli) -> None:
    home = Path(cli.env["DOCSEAL_HOME"])
    pems = list((home / "keystore").glob("*.pem"))
    assert pems
    for pem in pems:
        text = pem.read_text()
        assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        assert oct(pem.stat().st_mode & 0o777) == "0o600"


def test_verify_file_and_decode(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    png = str(tmp_path / "out" / "qr.png")
    pdf = str(tmp_path / "out" / "result.pdf")
    code, verdict = cli.run("verify", pdf)
    assert code == 0 and verdict["verdict"] == "VALID" and verdict["file"] == pdf
    assert verdict["results"][0]["document"]["id"] == doc["id"]
    assert verdict["reasons"] == [] and verdict["explanations"] == []
    code, verdict = cli.run("verify", png, "--holder-id", "001090004567")
    assert code == 1 and verdict["results"][0]["reasons"] == ["HOLDER_MISMATCH"]
    # as `verify --text` gives them, with the per-code results kept
    assert verdict["reasons"] == ["HOLDER_MISMATCH"]
    assert verdict["explanations"] == verdict["results"][0]["explanations"]
    assert verdict["file"] == png and verdict["source"]["codes_found"] == 1

    blank = tmp_path / "blank.png"
    Image.new("L", (300, 300), 255).save(blank)
    p = subprocess.run(
        [DOCSEAL, "decode", png, pdf],
        capture_output=True,
        text=True,
        env=cli.env,
        timeout=60,
        check=False,
    )
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert p.returncode == 0
    assert [x["texts"] for x in lines] == [[doc["qr_text"]], [doc["qr_text"]]]
    p = subprocess.run(
        [DOCSEAL, "decode", png, str(blank)],
        capture_output=True,
        text=True,
        env=cli.env,
        timeout=60,
        check=False,
    )
    assert p.returncode == 1
    assert json.loads(p.stdout.splitlines()[1]) == {"file": str(blank), "texts": [], "codes": []}


def test_verify_file_bad_inputs(cli: Cli, tmp_path: Path) -> None:
    svg = tmp_path / "x.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    code, body = cli.run("verify", str(svg))
    assert code == 2 and body["error"]["code"] == "UNSUPPORTED_FILE"
    code, body = cli.run("verify", str(tmp_path / "missing.png"))
    assert code == 2 and body["error"]["code"] == "FILE_UNREADABLE"
    code, body = cli.run("verify", str(svg), "--text", "DS1:AAAA")
    assert code == 2 and body["error"]["code"] == "BAD_USAGE"
    p = subprocess.run(
        [DOCSEAL, "decode", str(svg)],
        capture_output=True,
        text=True,
        env=cli.env,
        timeout=60,
        check=False,
    )
    assert p.returncode == 1
    assert json.loads(p.stdout)["error"]["code"] == "UNSUPPORTED_FILE"
    # an endless or huge file is refused after the size limit, not read whole
    for endless in ("/dev/zero", "/dev/urandom"):
        code, body = cli.run("verify", endless)
        assert code == 2 and body["error"]["code"] == "FILE_TOO_LARGE", body
        p = subprocess.run(
            [DOCSEAL, "decode", endless],
            capture_output=True,
            text=True,
            env=cli.env,
            timeout=60,
            check=False,
        )
        assert json.loads(p.stdout)["error"]["code"] == "FILE_TOO_LARGE"


def test_doctype_note_is_shown_with_verdicts(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    code, _ = cli.run("doctype", "note", "birth-registration", "--vi", "Căn cứ: NĐ 45/2020")
    assert code == 0
    code, verdict = cli.run("verify", "--text", doc["qr_text"])
    assert verdict["document"]["acceptance_note"] == {
        "vi": "Căn cứ: NĐ 45/2020",
        "en": "Căn cứ: NĐ 45/2020",
    }
    code, error = cli.run("doctype", "note", "no-such-type", "--vi", "x")
    assert code == 2 and error["error"]["code"] == "UNKNOWN_TYPE"
    cli.run("doctype", "note", "birth-registration", "--vi", "")
    code, verdict = cli.run("verify", "--text", doc["qr_text"])
    assert verdict["document"]["acceptance_note"] is None


def test_link_create_list_revoke_with_a_citizen_token(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    _, mine = cli.run("token", "--role", "citizen", "--holder-id", "001325012345")
    _, other = cli.run("token", "--role", "citizen", "--holder-id", "001090004567")
    code, link = cli.run(
        "link", "create", doc["id"], "--expires-in", "3d", "--max-views", "5",
        "--recipient", "Trường Tiểu học", "--disclose", "birth_place", "--token", mine,
    )  # fmt: skip
    assert code == 0 and link["url"].startswith("https://docseal.example.vn/s/")
    assert link["max_views"] == 5 and link["disclose"] == ["birth_place"]
    code, listed = cli.run("link", "list", "--token", mine)
    assert code == 0 and listed["id"] == link["id"] and listed["log"] == []
    code, error = cli.run("link", "revoke", link["id"], "--token", other)
    assert code == 2 and error["error"]["code"] == "LINK_NOT_FOUND"
    code, error = cli.run("link", "create", doc["id"], "--token", other)
    assert code == 2 and error["error"]["code"] == "DOCUMENT_NOT_FOUND"
    code, error = cli.run("link", "create", doc["id"], "--expires-in=31d", "--token", mine)
    assert code == 2 and error["error"]["code"] == "INVALID_EXPIRY"
    # refused before anything is done, as `token --ttl` refuses them
    for bad in ("0d", "-1d", "soon", "3", " 3"):
        p = cli.process("link", "create", doc["id"], f"--expires-in={bad}", "--token", mine)
        assert p.returncode == 2 and p.stdout == "" and "--expires-in" in p.stderr, bad
    p = cli.process("link", "create", doc["id"], "--expires-in", "3", "--token", mine)
    assert "'3' has no unit: write 3d, 3h, 3m or 3s" in p.stderr
    p = cli.process("token", "--role", "admin", "--ttl", "3")
    assert p.returncode == 2 and "'3' has no unit" in p.stderr
    listed_lines = cli.process("link", "list", "--token", mine).stdout.splitlines()
    assert [json.loads(x)["id"] for x in listed_lines] == [link["id"]]  # none was made
    code, error = cli.run("link", "list")
    assert code == 2 and error["error"]["code"] == "TOKEN_MISSING"
    code, revoked = cli.run("link", "revoke", link["id"], "--token", mine)
    assert code == 0 and revoked["state"] == "revoked"


def test_link_commands_take_the_token_from_docseal_token(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    _, mine = cli.run("token", "--role", "citizen", "--holder-id", "001325012345")
    _, other = cli.run("token", "--role", "citizen", "--holder-id", "001090004567")
    citizen = Cli(Path(cli.env["DOCSEAL_HOME"]))
    citizen.env["DOCSEAL_TOKEN"] = mine
    code, link = citizen.run("link", "create", doc["id"])
    assert code == 0 and link["url"].startswith("https://docseal.example.vn/s/")
    code, error = citizen.run("link", "revoke", link["id"], "--token", other)  # --token wins
    assert code == 2 and error["error"]["code"] == "LINK_NOT_FOUND"
    code, revoked = citizen.run("link", "revoke", link["id"])
    assert code == 0 and revoked["state"] == "revoked"


def test_key_rotate_revoke_issuer_suspend_document_revoke(cli: Cli, tmp_path: Path) -> None:
    doc = issue(cli, tmp_path / "out")
    code, rotated = cli.run("key", "rotate", "--issuer", "UBND-DICHVONGHAU")
    assert code == 0 and rotated["status"] == "active"
    code, verdict = cli.run("verify", "--text", doc["qr_text"])
    assert code == 0  # the retired key still verifies what it signed
    code, revoked = cli.run("key", "revoke", rotated["kid"], "--reason", "key leaked")
    assert code == 0 and revoked["status"] == "revoked"
    code, error = cli.run("key", "revoke", rotated["kid"], "--reason", "again")
    assert code == 2 and error["error"]["code"] == "KEY_ALREADY_REVOKED"
    code, error = cli.run("key", "revoke", "00" * 8, "--reason", "x")
    assert code == 2 and error["error"]["code"] == "UNKNOWN_KEY"
    code, error = cli.run("key", "revoke", "00" * 8, "--reason", "x", "--effective", "soon")
    assert code == 2 and error is None  # argparse refuses it: usage on stderr
    code, _ = cli.run("key", "create", "--issuer", "UBND-DICHVONGHAU")
    assert code == 0
    code, changed = cli.run("issuer", "suspend", "UBND-DICHVONGHAU")
    assert code == 0 and changed["status"] == "suspended"
    code, error = cli.run("key", "rotate", "--issuer", "UBND-DICHVONGHAU")
    assert code == 2 and error["error"]["code"] == "ISSUER_SUSPENDED"
    cli.run("issuer", "reinstate", "UBND-DICHVONGHAU")
    code, gone = cli.run("document", "revoke", doc["id"], "--reason", "cấp nhầm")
    assert code == 0 and gone["status"] == "revoked"
    code, error = cli.run("document", "revoke", doc["id"], "--reason", "lý do khác")
    assert code == 2 and error["error"]["code"] == "ALREADY_REVOKED"
    code, verdict = cli.run("verify", "--text", doc["qr_text"])
    assert code == 1 and verdict["reasons"] == ["DOCUMENT_REVOKED"]
    assert verdict["notes"]["document_revocation_reason"] == "cấp nhầm"  # the first reason


def test_audit_trail_records_actions_and_detects_tampering(tmp_path: Path) -> None:
    import sqlite3

    fresh = Cli(tmp_path / "home")
    code, _ = fresh.run("demo")
    assert code == 0
    _, first = fresh.run("audit", "list", "--limit", "1")
    assert first["seq"] == 1 and first["prev"] == "0" * 64
    code, report = fresh.run("audit", "verify")
    assert code == 0 and report["ok"] and report["entries"] > 5
    db = sqlite3.connect(tmp_path / "home" / "docseal.sqlite3")
    actions = [json.loads(b)["action"] for (b,) in db.execute("SELECT body FROM audit")]
    for expected in ("issuer.add", "key.create", "identity.import", "document.issue"):
        assert expected in actions
    dump = "\n".join(b for (b,) in db.execute("SELECT body FROM audit"))
    for number in ("001325012345", "001090004567", "079085001122"):
        assert number not in dump  # no raw ID numbers
    # edit one entry
    body = json.loads(db.execute("SELECT body FROM audit WHERE seq = 3").fetchone()[0])
    body["actor"] = "mallory"
    db.execute("UPDATE audit SET body = ? WHERE seq = 3", (json.dumps(body),))
    db.commit()
    code, report = fresh.run("audit", "verify")
    assert code == 1 and not report["ok"] and report["first_broken"] == 3
    # or remove one
    db.execute(
        "UPDATE audit SET body = ? WHERE seq = 3", (json.dumps({**body, "actor": first["actor"]}),)
    )
    db.commit()
    db.execute("DELETE FROM audit WHERE seq = 2")
    db.commit()
    code, report = fresh.run("audit", "verify")
    assert code == 1 and report["first_broken"] == 2
    db.close()


def test_key_reissue_from_the_command_line(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    _, key = fresh.run("key", "list", "--issuer", "STP-HANOI")
    kid = key["kid"]
    fresh.run("key", "revoke", kid, "--reason", "leaked")
    fresh.run("key", "create", "--issuer", "STP-HANOI")
    listed = subprocess.run(
        [DOCSEAL, "key", "documents", kid], capture_output=True, text=True, env=fresh.env
    )
    assert [json.loads(x)["status"] for x in listed.stdout.splitlines()] == ["valid"]
    p = subprocess.run(
        [DOCSEAL, "key", "reissue", kid], capture_output=True, text=True, env=fresh.env, check=True
    )
    pairs = [json.loads(line) for line in p.stdout.splitlines()]
    listed = subprocess.run(
        [DOCSEAL, "key", "documents", kid], capture_output=True, text=True, env=fresh.env
    )
    assert [json.loads(x)["successor"] for x in listed.stdout.splitlines()] == [pairs[0]["id"]]
    code, error = fresh.run("key", "documents", "00" * 8)
    assert code == 2 and error["error"]["code"] == "UNKNOWN_KEY"
    assert len(pairs) == 1 and pairs[0]["superseded"] != pairs[0]["id"]
    old_text = (tmp_path / "home" / "demo" / "criminal-record" / "qr.txt").read_text().strip()
    code, verdict = fresh.run("verify", "--text", old_text)
    assert code == 1 and verdict["successor"] == pairs[0]["id"]


def test_offline_verification_from_an_exported_trust_list(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    text = (tmp_path / "home" / "demo" / "marital-status" / "qr.txt").read_text().strip()
    bundle = tmp_path / "bundle"
    code, error = fresh.run("trust", "export", "--out", str(bundle))
    assert code == 3 and error["error"]["code"] == "NO_ROOT_KEY"
    assert "docseal trust root create" in error["error"]["message"]
    assert not bundle.exists()
    code, root = fresh.run("trust", "root", "create")
    assert code == 0 and root["issuer"] == "TRUST-ROOT"
    code, exported = fresh.run("trust", "export", "--out", str(bundle))
    assert code == 0 and exported["root_kid"] == root["kid"]
    offline = ("verify", "--offline", "--trust", str(bundle), "--text", text)
    code, verdict = fresh.run(*offline)
    assert code == 0 and verdict["verdict"] == "VALID"
    # a revocation reaches offline verifiers through the next export's status list
    code, _ = fresh.run("document", "revoke", verdict["document"]["id"], "--reason", "sai")
    code, verdict = fresh.run(*offline)
    assert code == 0  # the old bundle does not know yet
    fresh.run("trust", "export", "--out", str(bundle))
    code, verdict = fresh.run(*offline)
    assert code == 1 and verdict["reasons"] == ["DOCUMENT_REVOKED"]
    # a document issued after the export is inside the (padded) list: not revoked
    newer = issue(fresh, tmp_path / "newer")
    code, verdict = fresh.run(
        "verify", "--offline", "--trust", str(bundle), "--text", newer["qr_text"]
    )
    assert code == 0 and verdict["verdict"] == "VALID"
    # past next_update: refused with its own code
    code, error = fresh.run(*offline, "--at", "2099-01-01T00:00:00Z")
    assert code == 2 and error["error"]["code"] == "TRUST_LIST_EXPIRED"
    # one character changed in the signed content
    jws = (bundle / "trust.jws").read_text().strip()
    head, body, sig = jws.split(".")
    flipped = body[:40] + ("A" if body[40] != "A" else "B") + body[41:]
    (bundle / "trust.jws").write_text(f"{head}.{flipped}.{sig}")
    code, error = fresh.run(*offline)
    assert code == 2 and error["error"]["code"] in ("TRUST_LIST_BAD_SIGNATURE",)
    (bundle / "trust.jws").write_text(jws)
    # signed by a root the verifier does not pin
    pinned = json.loads((bundle / "roots.json").read_text())
    (bundle / "roots.json").write_text(
        json.dumps({"keys": [{**pinned["keys"][0], "kid": "00" * 8}]})
    )
    code, error = fresh.run(*offline)
    assert code == 2 and error["error"]["code"] == "TRUST_LIST_UNKNOWN_ROOT"
    # the API serves the same signed list
    code, rotated = fresh.run("trust", "root", "rotate")
    assert code == 0 and rotated["kid"] != root["kid"]


def test_a_status_change_in_an_import_reaches_the_verdict(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    text = (tmp_path / "home" / "demo" / "marital-status" / "qr.txt").read_text().strip()
    assert fresh.run("verify", "--text", text)[0] == 0
    died = tmp_path / "died.csv"
    died.write_text(
        "id_number,full_name,dob,gender,status\n"
        "001090004567,Trần Văn Nam,1990-05-17,male,deceased\n",
        encoding="utf-8",
    )
    assert fresh.run("identity", "import", str(died)) == (0, {"imported": 1, "rejected": 0})
    code, verdict = fresh.run("verify", "--text", text)
    assert code == 1 and verdict["reasons"] == ["IDENTITY_INACTIVE"]


def test_doctype_add_from_the_command_line(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    code, defined = fresh.run(
        "doctype", "add", "school-enrolment", "--name", "Giấy xác nhận nhập học",
        "--name-en", "School enrolment", "--field", "school:Trường:School",
        "--field", "note:Ghi chú:Note:optional", "--validity-days", "365",
    )  # fmt: skip
    assert code == 0 and [f["required"] for f in defined["fields"]] == [True, False]
    p = subprocess.run(
        [DOCSEAL, "doctype", "list"], capture_output=True, text=True, env=fresh.env, check=True
    )
    assert "school-enrolment" in [json.loads(x)["code"] for x in p.stdout.splitlines()]
    code, error = fresh.run("doctype", "add", "x", "--name", "X", "--field", "a:A")
    assert code == 2 and error["error"]["code"] == "INVALID_TYPE_CODE"


def test_serve_on_a_busy_port_says_so_in_one_line(cli: Cli) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        p = cli.process("serve", "--port", port)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.splitlines() == [
        f"docseal serve: 127.0.0.1:{port} is already in use; choose another --port"
    ]


def test_version_comes_from_the_package_metadata(cli: Cli) -> None:
    from importlib.metadata import version

    p = cli.process("--version")
    assert p.returncode == 0 and p.stdout == f"docseal {version('docseal')}\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["issuer", "list"], 141),  # 128 + SIGPIPE, as a shell reports `yes | head -1`
        (["doctype", "list"], 141),
        (["key", "list"], 141),
        (["--help"], 0),  # argparse ignores a failed write of its own texts
        (["--version"], 0),
    ],
)
def test_a_reader_that_stops_reading_gets_no_traceback(
    cli: Cli, args: list[str], code: int
) -> None:
    """As `docseal issuer list | head -1`: the pipe's reading end is closed
    before docseal writes, so its first write fails, every time."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        p = cli.process(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert p.returncode == code and p.stderr == ""


def test_reissues_write_the_new_documents_files(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    _, key = fresh.run("key", "list", "--issuer", "STP-HANOI")
    out = tmp_path / "reissued"
    code, one = fresh.run(
        "document", "reissue", demo_document_id(fresh, tmp_path), "--out", str(out)
    )
    assert code == 0 and one["folder"] == str(out / one["id"])
    assert_files_hold(out / one["id"], one["qr_text"])
    unwritable = tmp_path / "a-file"
    unwritable.write_text("")
    code, error = fresh.run("document", "reissue", one["id"], "--out", str(unwritable / "x"))
    assert code == 2 and error["error"]["code"] == "OUT_UNWRITABLE"
    code, verdict = fresh.run("verify", "--text", one["qr_text"])
    assert code == 0  # refused before re-signing: the document was not superseded
    fresh.run("key", "rotate", "--issuer", "STP-HANOI")
    p = fresh.process("key", "reissue", key["kid"], "--out", str(out))
    pairs = [json.loads(line) for line in p.stdout.splitlines()]
    assert p.returncode == 0 and pairs and all(x["folder"] == str(out / x["id"]) for x in pairs)
    for pair in pairs:
        code, verdict = fresh.run("verify", str(out / pair["id"] / "result.pdf"))
        assert code == 0 and verdict["results"][0]["document"]["id"] == pair["id"]


def demo_document_id(fresh: Cli, tmp_path: Path) -> str:
    """The id of the demo's criminal-record document (signed by STP-HANOI)."""
    text = (tmp_path / "home" / "demo" / "criminal-record" / "qr.txt").read_text().strip()
    code, verdict = fresh.run("verify", "--text", text)
    assert code == 0
    return str(verdict["document"]["id"])


def assert_files_hold(folder: Path, qr_text: str) -> None:
    png = Image.open(folder / "qr.png")
    assert [b.text for b in zxingcpp.read_barcodes(png)] == [qr_text]
    assert (folder / "result.pdf").read_bytes().startswith(b"%PDF")


def test_offline_verification_knows_a_superseded_document(tmp_path: Path) -> None:
    fresh = Cli(tmp_path / "home")
    fresh.run("demo")
    fresh.run("trust", "root", "create")
    doc = issue(fresh, tmp_path / "out")
    code, newer = fresh.run("document", "reissue", doc["id"])
    assert code == 0
    code, online = fresh.run("verify", "--text", doc["qr_text"])
    assert code == 1 and online["reasons"] == ["DOCUMENT_SUPERSEDED"]
    revoked = issue(fresh, tmp_path / "revoked")
    fresh.run("document", "revoke", revoked["id"], "--reason", "sai")
    bundle = tmp_path / "bundle"
    assert fresh.run("trust", "export", "--out", str(bundle))[0] == 0
    offline = ("verify", "--offline", "--trust", str(bundle), "--text")
    code, verdict = fresh.run(*offline, doc["qr_text"])
    assert code == 1 and verdict["reasons"] == ["DOCUMENT_SUPERSEDED"]
    code, verdict = fresh.run(*offline, revoked["qr_text"])
    assert code == 1 and verdict["reasons"] == ["DOCUMENT_REVOKED"]
    code, verdict = fresh.run(*offline, newer["qr_text"])
    assert code == 0 and verdict["verdict"] == "VALID"
