"""The chip ID card's QR text (DOMAIN.md): seven '|' fields, unsigned."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.domain.idcard import NotAnIdCard, parse_card

CARD = "001325012345|012345678|Nguyễn Thị Hồng Nhung|14032025|Nữ|Số 1 Cầu Giấy, Hà Nội|20032025"


def test_a_card_text_is_read() -> None:
    card = parse_card(CARD)
    assert card.id_number == "001325012345"
    assert card.full_name == "Nguyễn Thị Hồng Nhung"
    assert card.dob == dt.date(2025, 3, 14) and card.gender == "Nữ"


def test_the_old_number_may_be_empty() -> None:
    assert parse_card(CARD.replace("012345678", "")).id_number == "001325012345"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "001325012345|Nguyễn Thị Hồng Nhung|14032025",  # too few fields
        CARD + "|extra",
        CARD.replace("001325012345", "00132501234"),  # 11 digits
        CARD.replace("001325012345", "0013250123456"),  # 13 digits
        CARD.replace("001325012345", "003325012345"),  # no such province
        CARD.replace("001325012345", "００１３２５０１２３４５"),  # full-width digits
        CARD.replace("012345678", "01234"),
        CARD.replace("|Nữ|", "|F|"),
        CARD.replace("14032025", "31022025"),  # no 31 February
        CARD.replace("20032025", "2003202"),
        CARD.replace("Nguyễn Thị Hồng Nhung", "  "),
        "|" * 6,
        "x" * 5000,
    ],
)
def test_anything_else_is_not_a_card(text: str) -> None:
    with pytest.raises(NotAnIdCard) as info:
        parse_card(text)
    assert info.value.code == "NOT_AN_ID_CARD_QR"
    assert "001325012345" not in info.value.message
