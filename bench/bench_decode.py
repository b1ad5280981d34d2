"""Decoding benchmark: pyzbar alone, zxing-cpp alone and docseal's chain on the
ground-truth corpus (bench/corpus.py), in one run on this machine.

For each decoder: the share of images decoded to the exact expected texts,
per category and overall and on the hardest third (by the corpus's
difficulty score), p50/p95 milliseconds per image, and, for docseal, the
peak memory of decoding a 12 MP phone photo in a fresh process.

Usage: python bench/bench_decode.py [CORPUS_DIR]   (built there if missing)
Targets (issue #3): chain >= 97% overall and >= best single + 3 points on the
hardest third; chain p50 <= 2x zxing-cpp alone; chain p95 on 12 MP photos
<= 400 ms; peak RSS <= 300 MB.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402
import zxingcpp  # noqa: E402
from PIL import Image  # noqa: E402

from chalicelib.adapters.scan import scan_file  # noqa: E402

Decoder = Callable[[bytes], set[str]]


def _images(data: bytes) -> list[Image.Image]:
    """What a single decoder is given: the image, or each PDF page rendered at 200 dpi."""
    if data.startswith(b"%PDF"):
        document = pypdfium2.PdfDocument(data)
        return [page.render(scale=200 / 72).to_pil() for page in document]
    return [Image.open(io.BytesIO(data))]


def zxing_alone(data: bytes) -> set[str]:
    found = set()
    for image in _images(data):
        found |= {b.text for b in zxingcpp.read_barcodes(image)}
    return found


def pyzbar_alone(data: bytes) -> set[str]:
    from pyzbar import pyzbar

    found = set()
    for image in _images(data):
        for symbol in pyzbar.decode(image):
            found.add(symbol.data.decode("utf-8", "replace"))
    return found


def docseal_chain(data: bytes) -> set[str]:
    return {c.text for c in scan_file(data).codes if c.text is not None}


def run(decoder: Decoder, entries: list[dict], folder: Path) -> list[tuple[bool, float]]:
    out = []
    for entry in entries:
        data = (folder / entry["file"]).read_bytes()
        started = time.perf_counter()
        try:
            found = decoder(data)
        except Exception:
            found = set()
        elapsed = (time.perf_counter() - started) * 1000
        out.append((set(entry["texts"]) <= found, elapsed))
    return out


def peak_rss_mb(path: Path) -> float:
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from chalicelib.adapters.scan import scan_file\n"
        f"scan_file(open({str(path)!r}, 'rb').read())\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(folder: Path) -> None:
    from bench.corpus import build, load_manifest

    if not (folder / "manifest.json").exists():
        build(folder)
    entries = load_manifest(folder)
    hardest = {
        e["file"] for e in sorted(entries, key=lambda e: -e["difficulty"])[: len(entries) // 3]
    }
    decoders: dict[str, Decoder] = {
        "pyzbar": pyzbar_alone,
        "zxing-cpp": zxing_alone,
        "docseal": docseal_chain,
    }
    results = {name: run(fn, entries, folder) for name, fn in decoders.items()}
    categories = sorted({e["category"] for e in entries})

    def share(name: str, pick: Callable[[dict], bool]) -> float:
        hits = [ok for (ok, _), e in zip(results[name], entries, strict=True) if pick(e)]
        return 100.0 * sum(hits) / len(hits) if hits else 0.0

    print(f"corpus: {len(entries)} images in {folder}")
    print(f"{'decoded exactly (%)':<24}" + "".join(f"{n:>12}" for n in decoders))
    for category in categories:
        print(
            f"{category:<24}"
            + "".join(
                f"{share(n, lambda e, c=category: e['category'] == c):>12.1f}" for n in decoders
            )
        )
    print(f"{'OVERALL':<24}" + "".join(f"{share(n, lambda e: True):>12.1f}" for n in decoders))
    print(
        f"{'hardest third':<24}"
        + "".join(f"{share(n, lambda e: e['file'] in hardest):>12.1f}" for n in decoders)
    )
    print(
        f"{'p50 ms':<24}"
        + "".join(f"{statistics.median([t for _, t in results[n]]):>12.1f}" for n in decoders)
    )
    print(
        f"{'p95 ms':<24}"
        + "".join(f"{percentile([t for _, t in results[n]], 0.95):>12.1f}" for n in decoders)
    )
    phone = [i for i, e in enumerate(entries) if e["category"] == "phone_12mp"]
    if phone:
        print(
            f"{'p95 ms, 12 MP photos':<24}"
            + "".join(
                f"{percentile([results[n][i][1] for i in phone], 0.95):>12.1f}" for n in decoders
            )
        )
        rss = peak_rss_mb(folder / entries[phone[0]]["file"])
        print(f"peak RSS decoding one 12 MP JPEG with docseal's chain: {rss:.0f} MB")
    summary = {n: {"overall": share(n, lambda e: True)} for n in decoders}
    (folder / "bench-results.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "corpus"))
