"""The preset zlib dictionary of format version 1 (frozen: never edit).

A docseal payload is a few hundred bytes, too little for zlib to find
repetitions of its own; most of its bytes are field codes and Vietnamese
words that recur in every document. A preset dictionary (RFC 1950 FDICT)
holding them lets the birth-registration demo fit QR version 13 instead of 16.
Any change to these bytes would make every DS1 code undecodable: a new
dictionary needs a new format version. Its Adler-32 is checked by a test.
"""

from __future__ import annotations

import cbor2

_CODES = (
    "birth-registration birth_place registration_date registration_no father_name "
    "mother_name registrar marriage-registration spouse_name spouse_id_masked "
    "marital-status marital_status residence purpose death-registration deceased_name "
    "date_of_death place_of_death residence-confirmation permanent_address current_address "
    "household_head confirmation_no confirmed_by criminal-record form record record_no "
    "issued_by"
).split()

_PROVINCES = (
    "An Giang, Bà Rịa - Vũng Tàu, Bắc Giang, Bắc Kạn, Bạc Liêu, Bắc Ninh, Bến Tre, Bình Định, "
    "Bình Dương, Bình Phước, Bình Thuận, Cà Mau, Cao Bằng, Đắk Lắk, Đắk Nông, Điện Biên, "
    "Đồng Nai, Đồng Tháp, Gia Lai, Hà Giang, Hà Nam, Hà Tĩnh, Hải Dương, Hậu Giang, Hòa Bình, "
    "Hưng Yên, Khánh Hòa, Kiên Giang, Kon Tum, Lai Châu, Lâm Đồng, Lạng Sơn, Lào Cai, Long An, "
    "Nam Định, Nghệ An, Ninh Bình, Ninh Thuận, Phú Thọ, Phú Yên, Quảng Bình, Quảng Nam, "
    "Quảng Ngãi, Quảng Ninh, Quảng Trị, Sóc Trăng, Sơn La, Tây Ninh, Thái Bình, Thái Nguyên, "
    "Thanh Hóa, Thừa Thiên Huế, Tiền Giang, Trà Vinh, Tuyên Quang, Vĩnh Long, Vĩnh Phúc, Yên Bái\n"
)

_WORDS = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Văn Thị Hồng "
    "Minh Thu Hà Anh Tuấn Hùng Hương Lan Mai Ngọc Quốc Đức Thanh Hải Tiến Dũng Bình An Nam "
    "Linh Phương Trang Huyền Thảo Hiền\n"
    "Ủy ban nhân dân phường xã thị trấn quận huyện tỉnh thành phố Hà Nội Hồ Chí Minh "
    "Đà Nẵng Hải Phòng Cần Thơ Bệnh viện Trạm y tế Phụ sản Công an Sở Tư pháp\n"
    "Không có án tích Chưa đăng ký kết hôn với ai Đăng ký kết hôn Bổ sung hồ sơ xin việc "
    "Phiếu số Số ngõ phố đường thôn ấp tổ dân phố /UBND /XNTTHN /STP-LLTP /XN-CA "
    "Thiếu tá Đại úy Trung tá"
)

# Words first, CBOR-encoded codes last: zlib codes nearer matches in fewer bits.
DS1_DICTIONARY: bytes = (_PROVINCES + _WORDS).encode("utf-8") + b"".join(
    cbor2.dumps(c) for c in _CODES
)
