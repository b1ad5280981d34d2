"""The printable PDF of a signed result, drawn with fpdf2.

One A4 page (more only when a value is very long): the national header, the
issuer, the document type in Vietnamese and English, a two-column table of
labels (Vietnamese, with the English label under it in small grey type) and
values, the QR code and a line telling the reader how to check it. The text is
Vietnamese with diacritics, so the DejaVu fonts shipped with the web assets are
embedded (fpdf2's core fonts are Latin-1 only); every string is put in NFC
first because the fonts are used without text shaping, which would draw
combining marks of decomposed text badly.

The output depends only on its inputs: the creation date is the issue time of
the document and fpdf2 derives the file ID from the content.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

FONT_DIR = pathlib.Path(__file__).resolve().parent.parent / "web" / "fonts"
FONT_FAMILY = "DejaVu"

VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving time
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

QR_WIDTH_MM = 60.0
LABEL_WIDTH_MM = 62.0
MARGIN_MM = 18.0

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


class FpdfResultRenderer:
    """``PdfRenderer`` port: the printable PDF of a result ``view``.

    ``view["document"]`` has the shape of ``Verdict._document_dict()``;
    ``view["verify_url"]`` is the public verification page.
    """

    def result_pdf(self, view: dict[str, object], qr_png: bytes) -> bytes:
        document = view.get("document")
        if not isinstance(document, Mapping):
            raise ValueError("view['document'] must be the document dict")
        verify_url = str(view.get("verify_url") or "")
        pdf = _ResultPdf()
        pdf.draw(document, verify_url, qr_png)
        return bytes(pdf.output())


class _ResultPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT_FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT_FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(MARGIN_MM, 12, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=12)
        self.set_text_color(*_BLACK)

    # -- the document ---------------------------------------------------------

    def draw(self, doc: Mapping[str, Any], verify_url: str, qr_png: bytes) -> None:
        issuer = _mapping(doc.get("issuer"))
        holder = _mapping(doc.get("holder"))
        type_vi = _text(doc.get("type_name_vi") or doc.get("type"))
        type_en = _text(doc.get("type_name_en") or "")
        issuer_vi = _text(issuer.get("name_vi") or issuer.get("code"))

        self.set_title(type_vi)
        self.set_subject(type_en)
        self.set_author(issuer_vi)
        self.set_creator("docseal")
        self.set_lang("vi")
        issued_at = _parse_instant(doc.get("issued_at"))
        if issued_at is not None:
            self.set_creation_date(issued_at)

        self.add_page()
        self._header_block(issuer_vi, type_vi, type_en)

        self._row("Họ và tên", "Full name", _text(holder.get("full_name")))
        self._row("Số định danh cá nhân", "Personal ID number", _text(holder.get("id_masked")))
        self._row("Ngày sinh", "Date of birth", _date(holder.get("dob")))
        for field in doc.get("fields") or ():
            spec = _mapping(field)
            code = _text(spec.get("code"))
            self._row(
                _text(spec.get("label_vi") or code),
                _text(spec.get("label_en") or code),
                _value(spec.get("value")),
            )
        self._row("Ngày cấp", "Issued on", _date(doc.get("issued_at")))
        expires = doc.get("expires_at")
        self._row(
            "Có giá trị đến",
            "Valid until",
            _date(expires) if expires else "Không thời hạn (No expiry)",
        )
        self._row("Mã kết quả", "Result ID", _text(doc.get("id")))

        self._qr_block(qr_png, verify_url)

    def _header_block(self, issuer_vi: str, type_vi: str, type_en: str) -> None:
        self.set_font(FONT_FAMILY, "B", 11)
        self.cell(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=Align.C, new_x=XPos.LMARGIN)
        self.ln(6)
        motto = "Độc lập - Tự do - Hạnh phúc"
        self.set_font(FONT_FAMILY, "B", 10.5)
        self.cell(0, 6, motto, align=Align.C, new_x=XPos.LMARGIN)
        self.ln(6)
        half = self.get_string_width(motto) / 2
        middle = self.w / 2
        self.set_line_width(0.3)
        self.line(middle - half, self.get_y(), middle + half, self.get_y())
        self.ln(4)

        self.set_font(FONT_FAMILY, "B", 11)
        self.multi_cell(0, 6, issuer_vi, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

        self.set_font(FONT_FAMILY, "B", 17)
        self.multi_cell(0, 8, type_vi, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if type_en:
            self.set_font(FONT_FAMILY, "", 10)
            self.set_text_color(*_GREY)
            self.multi_cell(0, 5, type_en, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(*_BLACK)
        self.ln(4)
        self._rule()

    # -- one table row --------------------------------------------------------

    def _row(self, label_vi: str, label_en: str, value: str) -> None:
        """Label column (Vietnamese over English) and value column; the value
        wraps (multi_cell) and may continue on the next page if very long."""
        value_w = self.epw - LABEL_WIDTH_MM
        label_h = self._height(label_vi, LABEL_WIDTH_MM - 3, 4.5, "B", 9.5) + self._height(
            label_en, LABEL_WIDTH_MM - 3, 3.5, "", 7.5
        )
        value_h = self._height(value, value_w, 5.5, "", 11)
        row_h = max(label_h, value_h) + 2
        usable = self.page_break_trigger - self.t_margin
        if self.will_page_break(min(row_h, usable)):
            self.add_page()

        top = self.get_y() + 1
        page = self.page
        self.set_xy(self.l_margin, top)
        self.set_font(FONT_FAMILY, "B", 9.5)
        self.multi_cell(
            LABEL_WIDTH_MM - 3, 4.5, label_vi, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self.set_font(FONT_FAMILY, "", 7.5)
        self.set_text_color(*_GREY)
        self.multi_cell(
            LABEL_WIDTH_MM - 3, 3.5, label_en, align=Align.L, new_x=XPos.LEFT, new_y=YPos.NEXT
        )
        self.set_text_color(*_BLACK)
        label_end = self.get_y()

        self.set_xy(self.l_margin + LABEL_WIDTH_MM, top)
        self.set_font(FONT_FAMILY, "", 11)
        self.multi_cell(value_w, 5.5, value, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        value_end = self.get_y()
        end = value_end if self.page != page else max(label_end, value_end)
        self.set_xy(self.l_margin, end + 1)
        self._rule()

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

    # -- QR code and notice ---------------------------------------------------

    def _qr_block(self, qr_png: bytes, verify_url: str) -> None:
        notice_vi = _text(NOTICE_VI.format(verify_url=verify_url))
        notice_en = _text(NOTICE_EN.format(verify_url=verify_url))
        text_h = self._height(notice_vi, self.epw, 5, "", 9.5) + self._height(
            notice_en, self.epw, 4.2, "", 8
        )
        if self.will_page_break(4 + QR_WIDTH_MM + 3 + text_h):
            self.add_page()
        self.ln(4)
        self.image(
            io.BytesIO(qr_png),
            x=(self.w - QR_WIDTH_MM) / 2,
            y=self.get_y(),
            w=QR_WIDTH_MM,
            h=QR_WIDTH_MM,
            alt_text="QR",
        )
        self.set_xy(self.l_margin, self.get_y() + QR_WIDTH_MM + 3)
        self.set_font(FONT_FAMILY, "", 9.5)
        self.multi_cell(0, 5, notice_vi, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*_GREY)
        self.multi_cell(0, 4.2, notice_en, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_BLACK)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value))


def _value(value: object) -> str:
    """A field value; ISO dates (``YYYY-MM-DD``) are shown as dd/mm/yyyy."""
    text = _text(value)
    return _date(text) if _ISO_DATE.fullmatch(text) else text


def _parse_instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _date(value: object) -> str:
    """``YYYY-MM-DD`` or an ISO instant -> dd/mm/yyyy (instants in Vietnam time)."""
    if not isinstance(value, str) or not value:
        return ""
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    when = _parse_instant(value)
    if when is None:
        return _text(value)
    return when.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y")
