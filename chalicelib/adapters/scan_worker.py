"""Scanning in a child process: a crash, a hang or a memory bomb costs one
request, never the server.

zbar has process-killing crashes on some inputs (pyzbar issues 83, 143, 158)
and image libraries have had them too. The scan runs in a long-lived worker
process (spawned, so it shares no threads or locks with the server) with an
address-space limit; the parent waits at most the time budget plus a grace
period, then kills and replaces it. A dead worker is replaced on the next
request. The answers: a ``ScanResult``, or ``FileRefused`` with
``DECODE_TIMEOUT`` (hang), ``CORRUPT_FILE`` (crash) or ``IMAGE_TOO_LARGE``
(memory).
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

from chalicelib.domain.intake import IntakeLimits, ScanResult
from chalicelib.errors import ErrorCode, FileRefused

DEFAULT_JOB = "chalicelib.adapters.scan:scan_file"
GRACE_SECONDS = 3.0  # the first request also pays the worker's imports


def _serve(conn: Connection, job: str, memory_bytes: int) -> None:  # pragma: no cover - child
    import resource

    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    module, _, name = job.partition(":")
    run = getattr(importlib.import_module(module), name)
    while True:
        try:
            data, limits = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", run(data, limits)))
        except FileRefused as exc:
            conn.send(("refused", exc.code, exc.message))
        except MemoryError:
            conn.send(("refused", "IMAGE_TOO_LARGE", "the file needs too much memory to decode"))
        except Exception as exc:  # any failure while reading one file is that file's
            conn.send(
                ("refused", "CORRUPT_FILE", f"the file cannot be read ({type(exc).__name__})")
            )


class IsolatedScanner:
    def __init__(
        self,
        limits: IntakeLimits | None = None,
        job: str = DEFAULT_JOB,
        memory_bytes: int = 2 * 1024**3,
    ) -> None:
        self.limits = limits or IntakeLimits()
        self._job = job
        self._memory = memory_bytes
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Connection | None = None

    def decoders(self) -> tuple[str, ...]:
        from chalicelib.adapters.qr_readers import available_readers

        return tuple(r.name for r in available_readers())

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_serve, args=(child, self._job, self._memory), daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        return parent

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
        self._process, self._conn = None, None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def scan(self, data: bytes) -> ScanResult:
        if len(data) > self.limits.max_file_bytes:
            raise FileRefused(
                ErrorCode.FILE_TOO_LARGE,
                f"the file is larger than {self.limits.max_file_bytes} bytes",
            )
        with self._lock:
            conn = self._start()
            try:
                conn.send((data, self.limits))
                ready = conn.poll(self.limits.seconds + GRACE_SECONDS)
            except (BrokenPipeError, OSError):
                ready = True  # the worker died; recv() says so below
            if not ready:
                self._stop()
                raise FileRefused(ErrorCode.DECODE_TIMEOUT, "reading the file took too long")
            try:
                answer = conn.recv()
            except (EOFError, OSError):
                self._stop()
                raise FileRefused(
                    ErrorCode.CORRUPT_FILE, "the file made a decoder crash; it was not read"
                ) from None
        if answer[0] == "ok":
            result: ScanResult = answer[1]
            return result
        raise FileRefused(ErrorCode(answer[1]), answer[2])
