"""The pages of an uploaded PDF as images, as a viewer shows them.

``pdf_pages(data, limits)`` opens the PDF with pdfium (pypdfium2) and yields,
page by page, a ``PdfPageImages``: the page rendered in grayscale at
``PDF_DPI`` (fewer dots when that would exceed ``limits.max_pixels``) and, on
demand, the images embedded in it. Errors: ``FileRefused`` with
``CORRUPT_FILE`` (unreadable, encrypted with a user password, no pages, a page
that cannot be rendered) or ``TOO_MANY_PAGES``.

As a viewer shows it: pdfium draws form fields (a signature box, a button
whose appearance is the stamp an e-signing tool placed) only through its form
environment, so that is initialised before any page is loaded
(pypdfium2-team/pypdfium2#311), without JavaScript or XFA. The embedded images
are those in the page's content and those in its annotations' appearance
streams (widgets, stamps), each within the pixel limit, and together at most
``limits.max_pixels`` per annotation.
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
        _init_forms(document)  # before the page count or any page is read
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
                bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
                rendered = bitmap.to_pil().convert("L")

                def embedded(page: Any = page) -> Iterator[Image.Image]:
                    yield from _embedded_images(page, limits)
                    yield from _annotation_images(page, limits)

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


def _init_forms(document: Any) -> None:
    """pdfium's form environment, so that form fields are drawn as a viewer
    draws them; a config without a JavaScript platform (version 1: no XFA),
    so nothing in the file runs. A form that pdfium cannot set up leaves the
    pages as they render without it."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        document.init_forms(config=pdfium_c.FPDF_FORMFILLINFO(version=1))
    except pypdfium2.PdfiumError:
        return


def _embedded_images(page: Any, limits: IntakeLimits) -> Iterator[Image.Image]:
    """The images in the page's own content (and the form XObjects it draws)."""
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        image = _pixels(obj, limits.max_pixels)
        if image is not None:
            yield image


def _annotation_images(page: Any, limits: IntakeLimits) -> Iterator[Image.Image]:
    """The images drawn by each annotation's normal appearance stream.

    pdfium owns an annotation's objects only while its handle is open, so each
    annotation's images are copied out and the handle closed before any is
    yielded: a caller that stops early leaves nothing open."""
    import pypdfium2.raw as pdfium_c

    for index in range(max(pdfium_c.FPDFPage_GetAnnotCount(page), 0)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annotation:
            continue
        try:
            images = _appearance_images(page, annotation, limits.max_pixels)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
        yield from images


def _appearance_images(page: Any, annotation: Any, budget: int) -> list[Image.Image]:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    images: list[Image.Image] = []
    for index in range(max(pdfium_c.FPDFAnnot_GetObjectCount(annotation), 0)):
        raw = pdfium_c.FPDFAnnot_GetObject(annotation, index)
        if not raw:
            continue
        try:
            obj = pypdfium2.PdfObject(raw, page=page, pdf=page.pdf)
            if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
                found = page.get_objects(
                    filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3, form=obj, level=1
                )
            else:
                found = iter((obj,))
            for inner in found:
                image = _pixels(inner, budget)
                if image is not None:
                    images.append(image)
                    budget -= image.width * image.height
        except pypdfium2.PdfiumError:
            continue
    return images


def _pixels(obj: Any, budget: int) -> Image.Image | None:
    """An image object's own pixels, grayscale, if it has at most ``budget``
    of them and pdfium can decode it; else None."""
    import pypdfium2

    if not isinstance(obj, pypdfium2.PdfImage):
        return None
    try:
        width, height = obj.get_px_size()
        if width * height > budget or width * height == 0:
            return None
        return normalise(obj.get_bitmap(render=False).to_pil())
    except (pypdfium2.PdfiumError, OSError, ValueError):
        return None
