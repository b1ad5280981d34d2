"""`docseal demo` then `docseal serve`: a real server on 127.0.0.1, stopped by PID."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DOCSEAL = str(Path(sys.executable).parent / "docseal")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def post_json(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_demo_then_serve(tmp_path: Path) -> None:
    env = {**os.environ, "DOCSEAL_HOME": str(tmp_path / "home")}
    demo = subprocess.run(
        [DOCSEAL, "demo"], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    listing = json.loads(demo.stdout)
    names = {d["name"] for d in listing["documents"]}
    assert {"birth-registration", "criminal-record"} <= names
    # Seeding again keeps the same documents (idempotent).
    again = json.loads(
        subprocess.run(
            [DOCSEAL, "demo"], env=env, capture_output=True, text=True, timeout=120, check=True
        ).stdout
    )
    assert again["documents"] == listing["documents"]
    folder = Path(listing["folder"]) / "birth-registration"
    qr_text = (folder / "qr.txt").read_text().strip()
    assert (folder / "qr.png").exists() and (folder / "result.pdf").exists()

    port = free_port()
    server = subprocess.Popen(
        [DOCSEAL, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = get(f"{base}/api/v1/health")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.2)
        status, verdict = post_json(f"{base}/api/v1/verify", {"qr_text": qr_text})
        assert status == 200 and verdict["verdict"] == "VALID"
        status, body = post_json(f"{base}/api/v1/verify", {"qr_text": 5})
        assert status == 400 and body["error"]["code"] == "BAD_REQUEST"
        status, page = get(f"{base}/")
        assert status == 200 and b"docseal" in page
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
