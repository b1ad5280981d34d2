"""What one verification costs on AWS, from figures measured on this machine.

The Lambda handler (`app.app`, as API Gateway calls it) runs with the AWS
adapters against a moto server provisioned from infra/docseal.yaml. For a QR
text posted as JSON and for a PNG upload it measures the handler's duration,
the process's peak memory, the DynamoDB/KMS/S3 calls each request makes and
the log bytes it writes, then prices a million verifications at list prices.
Run with `make bench-lambda`.

Caveats, printed with the figures: Lambda at 1024 MB has about 0.58 of a vCPU
(1 vCPU at 1769 MB), so CPU-bound time is scaled by 1769/1024 for the
estimate; the moto server answers over loopback, faster than DynamoDB does
(a few ms per call), so each AWS call is also charged DYNAMO_MS.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import aws_stack  # noqa: E402

MEMORY_MB = 1024  # infra/docseal.yaml's default
LAMBDA_GB_SECOND = 0.0000166667  # x86, USD, first 6 billion GB-s a month
LAMBDA_REQUEST = 0.20 / 1e6
API_GATEWAY_REQUEST = 3.50 / 1e6  # REST API, first 333 million a month
DYNAMO_READ = 0.125 / 1e6  # on-demand read request unit
DYNAMO_WRITE = 0.625 / 1e6  # on-demand write request unit
LOGS_GB = 0.50  # CloudWatch Logs ingestion
DYNAMO_MS = 5.0  # a DynamoDB call from Lambda in the same region, typical
CPU_SCALE = 1769 / MEMORY_MB
RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def event(method: str, path: str, body: bytes, content_type: str, n: int) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": content_type, "Host": "docseal.example.vn"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "isBase64Encoded": True,
        "body": base64.b64encode(body).decode(),
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "requestId": f"bench-{n}",
            "stage": "api",
            "identity": {"sourceIp": f"10.0.{n // 250 % 250}.{n % 250}"},
        },
    }


def main() -> None:
    os.environ.update(aws_stack.CREDENTIALS)
    server = aws_stack.MotoServer()
    try:
        run(server)
    finally:
        server.stop()


def run(server: aws_stack.MotoServer) -> None:
    home = Path(tempfile.mkdtemp(prefix="docseal-bench-"))
    env = aws_stack.provision(server)
    os.environ.update(
        {
            **env,
            "DOCSEAL_HOME": str(home),
            "DOCSEAL_AWS_ENDPOINT_URL": server.url,
            "AWS_REGION": aws_stack.REGION,
            "DOCSEAL_RATE_VERIFY": "100000",
        }
    )
    from chalicelib import bootstrap
    from chalicelib.adapters.tokens import DevIdentityProvider
    from chalicelib.config import Settings

    jwks = home / "jwks.json"
    jwks.write_text(json.dumps(DevIdentityProvider(home, "docseal-dev", "docseal").jwks))
    os.environ["DOCSEAL_JWKS_FILE"] = str(jwks)
    c = bootstrap.reset(Settings.from_env())
    from chalicelib.services.demo import seed

    issued = seed(c.admin, c.issuing)[0][1]
    text = issued.qr_text
    png = c.documents.png_for(text)

    calls: dict[str, int] = {}

    def count(event_name: str, **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        calls[f"{service}:{operation}"] = calls.get(f"{service}:{operation}", 0) + 1

    for client in (c.store._client, c.custody._client, c.blobs._client):  # type: ignore[attr-defined]
        client.meta.events.register("before-call.*.*", count)

    import app as application

    context = SimpleNamespace(
        function_name="docseal-api",
        memory_limit_in_mb=MEMORY_MB,
        invoked_function_arn="arn:aws:lambda:ap-southeast-1:123456789012:function:docseal-api",
        aws_request_id="bench",
    )
    cases = {
        "QR text (JSON)": ("application/json", json.dumps({"qr_text": text}).encode()),
        "PNG upload": ("image/png", png),
    }
    print(f"docseal on the AWS adapters (moto server), handler called as Lambda, {RUNS} runs each")
    print(f"{'request':<16}{'p50 ms':>9}{'mean ms':>9}{'p95 ms':>9}{'AWS calls':>11}{'log B':>8}")
    results = {}
    for name, (content_type, body) in cases.items():
        times: list[float] = []
        log_bytes = 0
        calls.clear()
        for n in range(RUNS):
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink):
                start = time.perf_counter()
                answer = application.app(
                    event("POST", "/api/v1/verify", body, content_type, n), context
                )
                times.append((time.perf_counter() - start) * 1000)
            log_bytes += len(sink.getvalue().encode())
            assert answer["statusCode"] == 200, answer
            assert "VALID" in base64.b64decode(answer["body"]).decode() or "VALID" in answer["body"]
        times = times[1:]  # the first pays lazy imports; see cold start below
        per = {k: v / RUNS for k, v in calls.items()}
        results[name] = (statistics.mean(times), per, log_bytes / RUNS)
        print(
            f"{name:<16}{statistics.median(times):>9.1f}{statistics.mean(times):>9.1f}"
            f"{sorted(times)[int(0.95 * len(times))]:>9.1f}{sum(per.values()):>11.1f}"
            f"{log_bytes / RUNS:>8.0f}"
        )
        print("    per request: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per.items())))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: handler process {rss:.0f} MB, scanning worker {worker:.0f} MB")
    print(f"(Lambda memory setting {MEMORY_MB} MB; the worker shares the function's memory)")
    print()
    print(f"cost per million verifications, USD, list prices (us-east-1), {MEMORY_MB} MB:")
    print(f"{'request':<16}{'Lambda':>9}{'API GW':>9}{'DynamoDB':>10}{'Logs':>7}{'total':>9}")
    for name, (mean_ms, per, log_b) in results.items():
        aws_ms = sum(per.values()) * DYNAMO_MS
        billed_ms = mean_ms * CPU_SCALE + aws_ms
        lam = 1e6 * (billed_ms / 1000 * MEMORY_MB / 1024 * LAMBDA_GB_SECOND + LAMBDA_REQUEST)
        api = 1e6 * API_GATEWAY_REQUEST
        reads = sum(v for k, v in per.items() if k.split(":")[1] in {"GetItem", "Query"})
        writes = sum(
            v
            for k, v in per.items()
            if k.split(":")[1] in {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"}
        )
        ddb = 1e6 * (reads * DYNAMO_READ + writes * DYNAMO_WRITE)
        logs = 1e6 * log_b / 1e9 * LOGS_GB
        total = lam + api + ddb + logs
        print(f"{name:<16}{lam:>9.2f}{api:>9.2f}{ddb:>10.2f}{logs:>7.2f}{total:>9.2f}")
    print(
        f"(billed ms = measured x {CPU_SCALE:.2f} for Lambda's CPU share at {MEMORY_MB} MB"
        f" + {DYNAMO_MS:.0f} ms per AWS call)"
    )
    c.close()


if __name__ == "__main__":
    main()
