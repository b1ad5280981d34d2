"""QR code images of docseal QR texts, drawn with python-qrcode and Pillow.

The text ``https://<host>/v#DS1:<base32>`` is encoded as TWO segments rather
than one:

* the URL part in byte mode: it is lower case (and may hold any URL
  character), and it is what makes an ordinary phone camera offer to open the
  verification page;
* the ``DS1:<base32>`` part in alphanumeric mode: upper-case Base32 without
  padding and ``:`` are all characters of that mode, which packs two
  characters into 11 bits instead of 16, so the code of a ~480-character
  payload is several versions smaller (and easier to scan) than the same text
  in byte mode.

Python-qrcode's own segment optimiser is switched off (``optimize=0``): the
split is known in advance, and the optimiser could cut the payload into
pieces for no gain. Error correction M, the smallest version that fits, a quiet
zone of 4 modules, 8 px per module, black on white.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
import qrcode.util

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
BOX_SIZE = 8
BORDER = 4


class QrCodeRenderer:
    """``QrRenderer`` port: PNG bytes of a QR code, and the version it needs."""

    def __init__(self, box_size: int = BOX_SIZE, border: int = BORDER) -> None:
        self.box_size = box_size
        self.border = border

    def png(self, url_part: str, payload_part: str) -> bytes:
        """PNG (Pillow mode ``1``) of ``url_part`` (byte mode) + ``payload_part``
        (alphanumeric mode). ``url_part`` may be empty: a bare payload."""
        qr = self._build(url_part, payload_part)
        qr.make(fit=True)
        image = qr.make_image(fill_color="black", back_color="white")
        out = io.BytesIO()
        image.save(out)
        return out.getvalue()

    def version(self, url_part: str, payload_part: str) -> int:
        """The QR version (1-40) :meth:`png` uses for this text; no image is made."""
        return int(self._build(url_part, payload_part).best_fit())

    def _build(self, url_part: str, payload_part: str) -> qrcode.QRCode:
        """A QRCode holding the two segments. Raises ``ValueError`` when
        ``payload_part`` has characters outside the alphanumeric mode and
        ``qrcode.exceptions.DataOverflowError`` when the text fits no version."""
        qr = qrcode.QRCode(
            version=None,
            error_correction=ERROR_CORRECTION,
            box_size=self.box_size,
            border=self.border,
        )
        if url_part:
            qr.add_data(
                qrcode.util.QRData(url_part.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE),
                optimize=0,
            )
        if payload_part:
            qr.add_data(
                qrcode.util.QRData(payload_part, mode=qrcode.util.MODE_ALPHA_NUM),
                optimize=0,
            )
        return qr
