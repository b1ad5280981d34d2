"""The printable PDF of a signed result or receipt, drawn with fpdf2.

An A4 page: the national header, the issuer, the document type in Vietnamese
and English, a two-column table of labels (Vietnamese, with the English label
under it in small grey type) and values, the QR code and a line telling the
reader how to check it. A value may carry its English words small beneath it
too (a verdict, a document type).

The renderer draws text and decides none of it: the service's view
(``chalicelib.services.documents.print_view``) has already shown every value
by its declared kind. A ``one_page`` view (a receipt) is fitted to one page by
shrinking type and spacing until it fits; any other view flows onto more pages
only when a value is very long.

The text is Vietnamese with diacritics, so the DejaVu fonts shipped with the
web assets are embedded (fpdf2's core fonts are Latin-1 only); every string is
put in NFC first because the fonts are used without text shaping, which would
draw combining marks of decomposed text badly.

The output depends only on its inputs: the creation date is the issue time of
the document and fpdf2 derives the file ID from the content.
"""

from __future__ import annotations

import dataclasses
import io
import pathlib
import unicodedata

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos
from fpdf.fonts import TTFFont

from chalicelib.adapters.pdf_page import PrintPage, PrintRow, printable_text, read_view
from chalicelib.domain.display import invisible

FONT_DIR = pathlib.Path(__file__).resolve().parent.parent / "web" / "fonts"
FONT_FAMILY = "DejaVu"

QR_WIDTH_MM = 60.0
QR_MIN_SCALE = 0.75  # the QR code shrinks less than the text: it must still scan
LABEL_WIDTH_MM = 62.0
MARGIN_MM = 18.0
TOP_MM = 12.0
BOTTOM_MM = 12.0
# A one-page view shrinks by this factor a step until it fits; the smallest
# scale is a floor that the longest receipt docseal can sign stays above.
SHRINK_STEP = 0.94
MIN_SCALE = 0.3

_GREY = (110, 110, 110)
_RULE_GREY = (200, 200, 200)
_BLACK = (0, 0, 0)

NOTICE_VI = (
    "Kết quả điện tử có chữ ký số, không cần dấu đỏ. Quét mã QR bằng camera điện thoại "
    "hoặc tải ảnh lên {verify_url} để kiểm tra tính hợp lệ."
)
NOTICE_EN = (
    "Electronic result with a digital signature; no red stamp is needed. Scan the QR code "
    "with a phone camera or upload a photo of it at {verify_url} to check that it is valid."
)


MISSING_GLYPHS = (
    "Ký tự hiện là \ufffd không in được bằng phông chữ của bản in; giá trị đầy đủ có trong mã QR.",
    "Characters shown as \ufffd cannot be printed in this font; the QR code holds the full value.",
)


class FpdfResultRenderer:
    """``PdfRenderer`` port: the printable PDF of a ``view``.

    ``view`` has the shape ``print_view`` gives: ``title_vi``, ``title_en``,
    ``issuer``, ``rows`` (each ``label_vi``, ``label_en``, ``lines``, a list
    of (Vietnamese, English) pairs, and ``strong``), ``verify_url``, ``created`` (a datetime)
    and ``one_page``.
    """

    def result_pdf(self, view: dict[str, object], qr_png: bytes) -> bytes:
        page = read_view(view)
        pdf = _ResultPdf()
        pdf.draw(page, qr_png)
        return bytes(pdf.output())


class _ResultPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT_FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT_FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN_MM, TOP_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=BOTTOM_MM)
        self.set_text_color(*_BLACK)
        self.type_scale = 1.0

    # -- the document ---------------------------------------------------------

    def draw(self, page: PrintPage, qr_png: bytes) -> None:
        page = self._printable(page)
        self.set_title(page.title_vi)
        self.set_subject(page.title_en)
        self.set_author(page.issuer)
        self.set_creator("docseal")
        self.set_lang("vi")
        if page.created is not None:
            self.set_creation_date(page.created)
        self.add_page()  # fpdf2 measures text on a page
        if page.one_page:
            # Nothing may start a second page: the scale is chosen so that all fits.
            self.set_auto_page_break(auto=False)
            self.type_scale = self._fitting_scale(page)
        self._header_block(page)
        for row in page.rows:
            self._row(row)
        self._qr_block(qr_png, page.verify_url, keep_together=not page.one_page)

    def _printable(self, page: PrintPage) -> PrintPage:
        """The page with every value drawable by the embedded font, never
        silently short: a character the font has no glyph for is drawn as
        U+FFFD and a note says the QR code holds the full value; a value of
        combining marks alone is drawn on a dotted circle (U+25CC), as the
        Unicode Standard (section 2.11) shows marks in isolation."""
        font = self.fonts[FONT_FAMILY.lower()]
        cmap = font.cmap if isinstance(font, TTFFont) else {}
        replaced = False

        def drawable(text: str) -> str:
            nonlocal replaced
            if text and all(unicodedata.category(c).startswith("M") for c in text):
                text = "\u25cc" + text
            out = []
            for char in text:
                if ord(char) in cmap or invisible(char):  # these need no glyph
                    out.append(char)
                else:
                    out.append("\ufffd")
                    replaced = True
            return "".join(out)

        rows = [
            dataclasses.replace(
                row, lines=tuple((drawable(vi), drawable(en)) for vi, en in row.lines)
            )
            for row in page.rows
        ]
        if replaced:
            rows.append(PrintRow("Ghi chú", "Note", (MISSING_GLYPHS,)))
        return dataclasses.replace(page, rows=tuple(rows))

    def _fitting_scale(self, page: PrintPage) -> float:
        """The largest scale (1 at most) at which the whole page fits on one A4 sheet."""
        room = self.h - TOP_MM - BOTTOM_MM
        scale = 1.0
        while scale > MIN_SCALE:
            self.type_scale = scale
            if self._page_height(page) <= room:
                return scale
            scale *= SHRINK_STEP
        return MIN_SCALE

    def _page_height(self, page: PrintPage) -> float:
        return (
            self._header_height(page)
            + sum(self._row_height(row) for row in page.rows)
            + self._qr_height(page.verify_url)
        )

    def _s(self, size: float) -> float:
        return size * self.type_scale

    # -- header ---------------------------------------------------------------

    def _header_height(self, page: PrintPage) -> float:
        s = self._s
        height = s(6) + s(6) + s(4)
        height += self._height(page.issuer, self.epw, s(6), "B", s(11)) + s(3)
        height += self._height(page.title_vi, self.epw, s(8), "B", s(17))
        if page.title_en:
            height += self._height(page.title_en, self.epw, s(5), "", s(10))
        return height + s(4)

    def _header_block(self, page: PrintPage) -> None:
        s = self._s
        self.set_font(FONT_FAMILY, "B", s(11))
        self.cell(0, s(6), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=Align.C, new_x=XPos.LMARGIN)
        self.ln(s(6))
        motto = "Độc lập - Tự do - Hạnh phúc"
        self.set_font(FONT_FAMILY, "B", s(10.5))
        self.cell(0, s(6), motto, align=Align.C, new_x=XPos.LMARGIN)
        self.ln(s(6))
        half = self.get_string_width(motto) / 2
        middle = self.w / 2
        self.set_line_width(0.3)
        self.line(middle - half, self.get_y(), middle + half, self.get_y())
        self.ln(s(4))

        self.set_font(FONT_FAMILY, "B", s(11))
        self.multi_cell(0, s(6), page.issuer, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(s(3))

        self.set_font(FONT_FAMILY, "B", s(17))
        self.multi_cell(0, s(8), page.title_vi, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if page.title_en:
            self._grey()
            self.set_font(FONT_FAMILY, "", s(10))
            self.multi_cell(
                0, s(5), page.title_en, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self._black()
        self.ln(s(4))
        self._rule()

    # -- one table row --------------------------------------------------------

    def _label_width(self) -> float:
        # Smaller type needs a narrower label column and leaves the values more room.
        return LABEL_WIDTH_MM * max(self.type_scale, 0.7)

    def _row_height(self, row: PrintRow) -> float:
        s = self._s
        label_w = self._label_width()
        value_w = self.epw - label_w
        label_h = self._height(row.label_vi, label_w - s(3), s(4.5), "B", s(9.5))
        label_h += self._height(row.label_en, label_w - s(3), s(3.5), "", s(7.5))
        value_h = 0.0
        for vi, en in row.lines:
            value_h += self._height(vi, value_w, s(5.5), "B" if row.strong else "", s(11))
            if en:
                value_h += self._height(en, value_w, s(3.5), "", s(7.5))
        value_h += s(1) * (len(row.lines) - 1)
        return max(label_h, value_h) + s(2)

    def _row(self, row: PrintRow) -> None:
        """Label column (Vietnamese over English) and value column; the value
        wraps (multi_cell) and, on a page that may flow, may continue on the
        next page if very long."""
        s = self._s
        label_w = self._label_width()
        value_w = self.epw - label_w
        if self.auto_page_break:
            usable = self.page_break_trigger - self.t_margin
            if self.will_page_break(min(self._row_height(row), usable)):
                self.add_page()

        top = self.get_y() + s(1)
        page = self.page
        self.set_xy(self.l_margin, top)
        self.set_font(FONT_FAMILY, "B", s(9.5))
        self.multi_cell(
            label_w - s(3), s(4.5), row.label_vi, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self._grey()
        self.set_font(FONT_FAMILY, "", s(7.5))
        self.multi_cell(
            label_w - s(3), s(3.5), row.label_en, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self._black()
        label_end = self.get_y()

        self.set_xy(self.l_margin + label_w, top)
        for index, (vi, en) in enumerate(row.lines):
            if index:
                self.set_y(self.get_y() + s(1))
            self.set_x(self.l_margin + label_w)
            self.set_font(FONT_FAMILY, "B" if row.strong else "", s(11))
            self.multi_cell(value_w, s(5.5), vi, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT)
            if en:
                self._grey()
                self.set_font(FONT_FAMILY, "", s(7.5))
                self.multi_cell(
                    value_w, s(3.5), en, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
                )
                self._black()
        value_end = self.get_y()
        end = value_end if self.page != page else max(label_end, value_end)
        self.set_xy(self.l_margin, end + s(1))
        self._rule()

    # -- QR code and notice ---------------------------------------------------

    def _qr_width(self) -> float:
        return QR_WIDTH_MM * max(self.type_scale, QR_MIN_SCALE)

    def _notices(self, verify_url: str) -> tuple[str, str]:
        return (
            printable_text(NOTICE_VI.format(verify_url=verify_url)),
            printable_text(NOTICE_EN.format(verify_url=verify_url)),
        )

    def _qr_height(self, verify_url: str) -> float:
        s = self._s
        notice_vi, notice_en = self._notices(verify_url)
        text_h = self._height(notice_vi, self.epw, s(5), "", s(9.5))
        text_h += self._height(notice_en, self.epw, s(4.2), "", s(8))
        return s(4) + self._qr_width() + s(3) + text_h

    def _qr_block(self, qr_png: bytes, verify_url: str, keep_together: bool) -> None:
        s = self._s
        notice_vi, notice_en = self._notices(verify_url)
        if keep_together and self.will_page_break(self._qr_height(verify_url)):
            self.add_page()
        self.ln(s(4))
        width = self._qr_width()
        self.image(
            io.BytesIO(qr_png),
            x=(self.w - width) / 2,
            y=self.get_y(),
            w=width,
            h=width,
            alt_text="QR",
        )
        self.set_xy(self.l_margin, self.get_y() + width + s(3))
        self.set_font(FONT_FAMILY, "", s(9.5))
        self.multi_cell(0, s(5), notice_vi, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._grey()
        self.set_font(FONT_FAMILY, "", s(8))
        self.multi_cell(0, s(4.2), notice_en, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._black()

    # -- helpers --------------------------------------------------------------

    def _height(self, text: str, width: float, line_h: float, style: str, size: float) -> float:
        self.set_font(FONT_FAMILY, style, size)
        lines = self.multi_cell(width, line_h, text, dry_run=True, output=MethodReturnValue.LINES)
        count = len(lines) if isinstance(lines, list) else 1
        return max(count, 1) * line_h

    def _rule(self) -> None:
        self.set_draw_color(*_RULE_GREY)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_draw_color(*_BLACK)

    def _grey(self) -> None:
        self.set_text_color(*_GREY)

    def _black(self) -> None:
        self.set_text_color(*_BLACK)
