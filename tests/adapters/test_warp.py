"""Codes on folded paper: the grid is followed across the fold and the code redrawn flat.

The fold is made as paper makes it: a crease across the code, the far side
turned away from the camera (foreshortened by cos(bend) across the crease),
with a slight curl along it. zxing-cpp on its own must find the code and fail
to decode it, or the test would prove nothing.
"""

from __future__ import annotations

import io
import math

import pytest
import zxingcpp
from PIL import Image

from chalicelib.adapters.scan import scan_file
from chalicelib.adapters.warp import alignment_centres, rectified
from tests.files import qr_image

TEXT = "https://docseal.example.vn/v#DS1:" + "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U" * 10


def _folded(image: Image.Image, bend_deg: float, at: float, curl: float) -> Image.Image:
    """The image with a vertical crease at ``at`` (0..1 across) whose right side
    is turned ``bend_deg`` away, and a sine curl of ``curl`` px down the page."""
    w, h = image.size
    crease = at * w
    stretch = 1 / math.cos(math.radians(bend_deg)) - 1
    soft = 8.0

    def source(x: float, y: float) -> tuple[float, float]:
        u = x - crease
        ramp = soft * math.log1p(math.exp(u / soft)) if u / soft < 30 else u
        return x + ramp * stretch, y + curl * math.sin(2 * math.pi * x / w)

    step = 8
    mesh = []
    for y0 in range(0, h, step):
        for x0 in range(0, w, step):
            x1, y1 = min(x0 + step, w), min(y0 + step, h)
            quad = (*source(x0, y0), *source(x0, y1), *source(x1, y1), *source(x1, y0))
            mesh.append(((x0, y0, x1, y1), quad))
    return image.transform(
        image.size, Image.Transform.MESH, mesh, Image.Resampling.BICUBIC, fillcolor=255
    )


@pytest.fixture(scope="module")
def folded() -> Image.Image:
    return _folded(qr_image(TEXT, box=5), bend_deg=35, at=0.35, curl=4)


def test_a_reader_alone_finds_the_folded_code_but_cannot_read_it(folded: Image.Image) -> None:
    assert zxingcpp.read_barcodes(folded) == []
    failed = zxingcpp.read_barcodes(folded, return_errors=True)
    assert failed and not failed[0].valid


def test_the_folded_code_is_redrawn_flat_and_read(folded: Image.Image) -> None:
    flat = list(rectified(folded))
    assert flat
    assert [b.text for b in zxingcpp.read_barcodes(flat[0])] == [TEXT]


def test_the_chain_reads_the_folded_code(folded: Image.Image) -> None:
    out = io.BytesIO()
    folded.save(out, "PNG")
    assert [c.text for c in scan_file(out.getvalue()).codes] == [TEXT]


def test_nothing_is_redrawn_where_no_code_was_detected() -> None:
    assert list(rectified(Image.new("L", (300, 300), 255))) == []


@pytest.mark.parametrize(
    ("version", "centres"),
    [
        (1, []),
        (2, [6, 18]),
        (7, [6, 22, 38]),
        (13, [6, 34, 62]),
        (32, [6, 34, 60, 86, 112, 138]),
        (40, [6, 30, 58, 86, 114, 142, 170]),
    ],
)
def test_alignment_pattern_centres_follow_iso_18004_annex_e(
    version: int, centres: list[int]
) -> None:
    assert alignment_centres(version) == [c + 0.5 for c in centres]


def test_the_same_symbol_with_other_corners_is_another_candidate() -> None:
    """Two detections of one symbol are one candidate when every corner agrees to
    within a module; corners off by modules (another binariser's view across a
    fold) make a second candidate worth redrawing."""
    from chalicelib.adapters.warp import _same_corners

    version = 13  # 69 modules: 5 px each on a 345 px symbol
    corners = [(10.0, 10.0), (355.0, 10.0), (355.0, 355.0), (10.0, 355.0)]
    nudged = [(x + 3.0, y - 2.0) for x, y in corners]
    off = [*corners[:2], (355.0, 370.0), (10.0, 368.0)]  # the far side three modules lower
    assert _same_corners(corners, nudged, version)
    assert not _same_corners(corners, off, version)
