"""What one verification costs on AWS, from figures measured on this machine.

The Lambda handler (`app.app`, as API Gateway calls it) runs with the AWS
adapters against a moto server provisioned from infra/docseal.yaml. For a QR
text posted as JSON and for a PNG upload it measures the handler's duration
(and how much of it was spent waiting for moto), the peak memory of the
process and of the scanning worker, the DynamoDB/KMS/S3 calls each request
makes and the log bytes it writes, then prices a million verifications at
list prices. A cold start (import and first request, with the AWS calls the
first request makes: the secrets' read from Secrets Manager among them) is
timed in fresh processes.
Run with `make bench-lambda`.

Caveats, printed with the figures: Lambda at 1024 MB has about 0.58 of a vCPU
(1 vCPU at 1769 MB), so docseal's own time is scaled by 1769/1024 for the
estimate; the time spent waiting for moto is replaced by DYNAMO_MS per AWS
call, a typical same-region DynamoDB latency.
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

    issued = seed(c.issuers, c.keyring, c.identities, c.issuing, actor=c.settings.actor)[0][1]
    text = issued.qr_text
    png = c.documents.png_for(text)

    calls: dict[str, int] = {}
    in_aws = {"ms": 0.0, "since": 0.0}

    def count(event_name: str, **_: Any) -> None:
        service, operation = event_name.split(".")[1:3]
        calls[f"{service}:{operation}"] = calls.get(f"{service}:{operation}", 0) + 1
        in_aws["since"] = time.perf_counter()

    def done(**_: Any) -> None:
        in_aws["ms"] += (time.perf_counter() - in_aws["since"]) * 1000

    table = c.storage.documents.table  # type: ignore[attr-defined]
    for client in (table.client, c.custody._client, c.blobs._client):  # type: ignore[attr-defined]
        client.meta.events.register("before-call.*.*", count)
        client.meta.events.register("after-call.*.*", done)

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
        in_aws["ms"] = 0.0
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
            assert json.loads(answer["body"])["verdict"] == "VALID", answer["body"][:200]
        times = times[1:]  # the first pays lazy imports; see cold start below
        per = {k: v / RUNS for k, v in calls.items()}
        own_ms = statistics.mean(times) - in_aws["ms"] / RUNS  # minus the moto round trips
        results[name] = (own_ms, per, log_bytes / RUNS)
        print(
            f"{name:<16}{statistics.median(times):>9.1f}{statistics.mean(times):>9.1f}"
            f"{sorted(times)[int(0.95 * len(times))]:>9.1f}{sum(per.values()):>11.1f}"
            f"{log_bytes / RUNS:>8.0f}"
        )
        print("    per request: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per.items())))
        print(f"    docseal's own time (without the moto round trips): {own_ms:.1f} ms")
    c.close()  # stops the scanning worker, so that its peak memory is counted
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
        f"(billed ms = docseal's own ms x {CPU_SCALE:.2f}, Lambda's CPU share at {MEMORY_MB} MB,"
        f" + {DYNAMO_MS:.0f} ms per AWS call)"
    )
    cold(text)


COLD = """
import json, os, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
sys.argv = sys.argv[:1] + sys.argv[2:]
import app
t1 = time.perf_counter()
from bench.bench_lambda import event
import boto3
calls = {}
def count(event_name, **_):
    name = ":".join(event_name.split(".")[1:3])
    calls[name] = calls.get(name, 0) + 1
boto3.setup_default_session()  # the clients docseal makes inherit this hook
boto3.DEFAULT_SESSION.events.register("before-call.*.*", count)
t1b = time.perf_counter()
body = json.dumps({"qr_text": sys.argv[1]}).encode()
answer = app.app(event("POST", "/api/v1/verify", body, "application/json", 0), None)
t2 = time.perf_counter()
print(json.dumps({"import": (t1 - t0) * 1000, "first": (t2 - t1b) * 1000,
                  "status": answer["statusCode"], "calls": calls}))
"""


def cold(text: str) -> None:
    """A fresh process: `import app` (Lambda's init) and the first request."""
    import subprocess

    samples = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(ROOT), text],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert all(s["status"] == 200 for s in samples)
    init = statistics.median(s["import"] for s in samples)
    first = statistics.median(s["first"] for s in samples)
    print(f"cold start (median of 5 fresh processes): import app {init:.0f} ms,")
    print(f"  first verification {first:.0f} ms (clients, secrets, trust snapshot, lazy imports)")
    calls = samples[0]["calls"]
    print("  its AWS calls: " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))


if __name__ == "__main__":
    main()
