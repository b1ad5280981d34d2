"""Never worse than the best single decoder (issue 13): whatever zxing-cpp alone
or pyzbar alone reads in an image, docseal's chain reads too.

A small corpus is made at test time by bench/corpus.py's generator, from a
seed used nowhere else (neither the development seed 7 nor the benchmark's
never-tuned seed), a few images of every kind of distortion it knows: phone
photos, screenshots, scans, PDFs, folds, blur. Each single decoder runs as
the benchmark runs it (bench/bench_decode.py: default settings, colour image,
PDF pages at 200 dpi), and every text it reads must be among the chain's.
The test can fail: the corpus is not filtered to images the chain reads.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import bench_decode, corpus  # noqa: E402

SEED = 4_113  # used by no other corpus
PER_CATEGORY = 4
PHONE_PHOTOS = 1  # a 12 MP photo takes the single decoders a second each


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    """(name, file bytes) of every image, made once per session from a fresh
    docseal home (``docseal demo``: keys, signed results, their PDFs)."""
    home = tmp_path_factory.mktemp("never-worse") / "home"
    context = corpus.Context(corpus.run_demo(home))
    made = []
    for category in corpus.CATEGORIES:
        count = PHONE_PHOTOS if category == "phone_12mp" else PER_CATEGORY
        for i in range(count):
            rng = random.Random(f"{SEED}:{category}:{i}")
            item = corpus.MAKERS[category](context, rng, i)
            made.append((f"{category}/{i}.{item.ext}", item.data))
    return made


def test_the_chain_reads_every_code_a_single_decoder_reads(
    images: list[tuple[str, bytes]],
) -> None:
    missed = {}
    read_by_singles = 0
    for name, data in images:
        singles = bench_decode.zxing_alone(data) | bench_decode.pyzbar_alone(data)
        read_by_singles += bool(singles)
        lost = singles - bench_decode.docseal_chain(data)
        if lost:
            missed[name] = sorted(text[:50] for text in lost)
    assert read_by_singles >= len(images) // 2  # the corpus gives the singles work to do
    assert missed == {}
