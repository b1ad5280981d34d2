"""The pages of an uploaded PDF as images, as a viewer shows them.

``pdf_pages(data, limits)`` opens the PDF with pdfium (pypdfium2) and yields,
page by page, a ``PdfPageImages``: the page rendered in grayscale at
``PDF_DPI`` (fewer dots when that would exceed ``limits.max_pixels``) and, on
demand, the images embedded in it. Errors: ``FileRefused`` with
``CORRUPT_FILE`` (unreadable, encrypted with a user password, no pages, a page
that cannot be rendered) or ``TOO_MANY_PAGES``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from PIL import Image

from chalicelib.adapters.image_file import normalise
from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import ErrorCode, FileRefused

PDF_DPI = 200


@dataclasses.dataclass(frozen=True)
class PdfPageImages:
    number: int  # 1-based
    of: int  # the document's page count
    rendered: Image.Image  # grayscale ("L")
    embedded: Callable[[], Iterator[Image.Image]]  # grayscale, each within the pixel limit


def pdf_pages(data: bytes, limits: IntakeLimits) -> Iterator[PdfPageImages]:
    """Each page, rendered, in order; stops when the caller stops asking."""
    import pypdfium2

    document = _open(data)
    try:
        pages = len(document)
        if pages == 0:
            raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF has no pages")
        if pages > limits.max_pdf_pages:
            raise FileRefused(
                ErrorCode.TOO_MANY_PAGES, f"{pages} pages is more than {limits.max_pdf_pages}"
            )
        for number in range(pages):
            page = document[number]
            try:
                width, height = page.get_size()
                scale = PDF_DPI / 72
                if width * height * scale * scale > limits.max_pixels:
                    scale = (limits.max_pixels / max(width * height, 1.0)) ** 0.5
                rendered = page.render(scale=scale, grayscale=True).to_pil().convert("L")

                def embedded(page: object = page) -> Iterator[Image.Image]:
                    return _embedded_images(page, limits)

                yield PdfPageImages(number + 1, pages, rendered, embedded)
            except pypdfium2.PdfiumError as exc:
                raise FileRefused(
                    ErrorCode.CORRUPT_FILE, f"page {number + 1} cannot be rendered"
                ) from exc
            finally:
                page.close()
    finally:
        document.close()


def _open(data: bytes) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF is encrypted") from exc
        raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF cannot be read") from exc


def _embedded_images(page: object, limits: IntakeLimits) -> Iterator[Image.Image]:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):  # type: ignore[attr-defined]
        if not isinstance(obj, pypdfium2.PdfImage):
            continue
        try:
            width, height = obj.get_px_size()
            if width * height > limits.max_pixels or width * height == 0:
                continue
            yield normalise(obj.get_bitmap(render=False).to_pil())
        except (pypdfium2.PdfiumError, OSError, ValueError):
            continue
