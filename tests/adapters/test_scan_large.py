"""What a 12 MP photo costs the chain: bounded by what the readers are given, not
by the clock. A photo holding no readable code gets its working copy, its code
regions at full resolution (every reader) and the full resolution (zxing-cpp
only): neither zbar on 12 MP (half a second) nor the whole-image variants (two
to three seconds). A photo whose code only its full-resolution crop restores is
still read.

The photos are drawn as in test_regions.py (a desk, a page of text, a code),
with readers that count what they are given wrapped around the real ones.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from PIL import Image, ImageDraw, ImageFilter

from chalicelib.adapters.qr_readers import Decoded, Reader, available_readers
from chalicelib.adapters.scan import CHEAP_SIDE, scan_file
from tests.adapters.test_regions import TEXT, _photo

FULL = 4000 * 3000


@dataclass
class CountingReader:
    """A real reader that notes the pixel count of every image it is given."""

    inner: Reader
    sizes: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def read(self, image: Image.Image, hard: bool = False) -> list[Decoded]:
        self.sizes.append(image.width * image.height)
        return self.inner.read(image, hard=hard)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


@pytest.fixture(scope="module")
def codeless_photo() -> bytes:
    """A 12 MP photo of a page of text whose code is blurred past reading (a
    Gaussian of 4 modules): the code's region is found, and nothing reads it."""
    photo, symbol = _photo((4000, 3000), 420, (0.6, 0.45), 8, blur=1.5)
    left, top, right, bottom = (symbol[0] - 30, symbol[1] - 30, symbol[2] + 30, symbol[3] + 30)
    smeared = photo.crop((left, top, right, bottom)).filter(ImageFilter.GaussianBlur(30))
    photo.paste(smeared, (left, top))
    return _jpeg(photo)


def _counting() -> list[CountingReader]:
    return [CountingReader(reader) for reader in available_readers()]


def test_a_photo_with_no_code_is_read_a_bounded_number_of_times(codeless_photo: bytes) -> None:
    readers = _counting()
    result = scan_file(codeless_photo, readers=readers)
    assert result.codes == ()
    first, *others = readers
    # zxing-cpp: the working copy, the crops and their variants, the full resolution once
    assert first.sizes.count(FULL) == 1
    assert len(first.sizes) <= 12
    # the other readers never see the whole 12 MP image nor a whole-image variant
    # (the working copy at most, when the page's text is one region too large to cut)
    for reader in others:
        assert all(size <= CHEAP_SIDE * 1500 for size in reader.sizes), reader.sizes
        assert reader.sizes.count(CHEAP_SIDE * 1500) <= 1
        assert len(reader.sizes) <= 5
    total = sum(sum(r.sizes) for r in readers)
    assert total < 2.2 * FULL  # before: about 30 reads, 7 times the photo's pixels


def test_a_blank_12_mp_photo_is_read_once_at_full_resolution() -> None:
    """No code-like region at all: the working copy and the full resolution, by
    zxing-cpp (what it alone would read), nothing else."""
    blank = Image.effect_noise((250, 188), 30).resize((4000, 3000)).point(lambda v: 120 + v // 8)
    readers = _counting()
    assert scan_file(_jpeg(blank), readers=readers).codes == ()
    assert readers[0].sizes == [CHEAP_SIDE * 1500, FULL]
    assert all(not r.sizes for r in readers[1:])


def test_a_small_photo_still_gets_the_whole_image_variants() -> None:
    """Below LARGE_SIDE nothing is skipped: a 2400 px photo with no code is given to
    every reader whole, and to the harder variants too."""
    photo, symbol = _photo((2400, 1800), 300, (0.5, 0.5), 0, blur=1.0)
    ImageDraw.Draw(photo).rectangle(symbol, fill=230)
    readers = _counting()
    scan_file(_jpeg(photo), readers=readers)
    assert len(readers[0].sizes) > 12
    assert all(2400 * 1800 in r.sizes for r in readers)


def test_a_blurred_code_is_still_read_from_its_crop_with_the_counted_readers() -> None:
    """The bound costs no decode: modules of 4.5 px under a focus blur of 2.4 px,
    which zxing-cpp alone does not read, come back from the deconvolved crop."""
    photo, _ = _photo((4000, 3000), 320, (0.3, 0.62), 30, blur=2.4)
    readers = _counting()
    result = scan_file(_jpeg(photo), readers=readers)
    assert [c.text for c in result.codes] == [TEXT]
