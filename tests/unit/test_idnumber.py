from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import idnumber
from chalicelib.errors import InvalidIdNumber


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("00132501234", "INVALID_ID_NUMBER"),  # 11 digits
        ("0013250123456", "INVALID_ID_NUMBER"),  # 13 digits
        ("٠٠١٣٢٥٠١٢٣٤٥", "INVALID_ID_NUMBER"),  # Arabic-Indic digits
        ("００１３２５０１２３４５", "INVALID_ID_NUMBER"),  # full-width digits
        ("00132501234a", "INVALID_ID_NUMBER"),
        ("003325012345", "ID_UNKNOWN_PROVINCE"),  # 003 is not a province code
        ("099325012345", "ID_UNKNOWN_PROVINCE"),
    ],
)
def test_shape_is_refused_with_its_own_code(number: str, code: str) -> None:
    with pytest.raises(InvalidIdNumber) as info:
        idnumber.check_shape(number)
    assert info.value.code == code


def test_all_63_province_codes() -> None:
    assert len(idnumber.PROVINCE_CODES) == 63
    for code in idnumber.PROVINCE_CODES:
        assert idnumber.check_shape(code + "325012345")


@pytest.mark.parametrize(
    ("number", "dob", "gender", "code"),
    [
        ("001225012345", dt.date(2025, 3, 14), "female", "ID_GENDER_MISMATCH"),
        ("001025012345", dt.date(2025, 3, 14), None, "ID_CENTURY_MISMATCH"),
        ("001324012345", dt.date(2025, 3, 14), None, "ID_BIRTH_YEAR_MISMATCH"),
        ("001190012345", dt.date(1989, 1, 1), None, "ID_BIRTH_YEAR_MISMATCH"),
    ],
)
def test_inconsistent_with_birth(number: str, dob: dt.date, gender: str | None, code: str) -> None:
    with pytest.raises(InvalidIdNumber) as info:
        idnumber.check_against(number, dob, gender)
    assert info.value.code == code


def test_century_and_gender_digit() -> None:
    assert idnumber.century_and_gender("001090004567") == (1900, "male")
    assert idnumber.century_and_gender("001325012345") == (2000, "female")
    assert idnumber.century_and_gender("001825012345") == (2300, "male")
    idnumber.check_against("001090004567", dt.date(1990, 5, 17), "male")
    idnumber.check_against("001325012345", dt.date(2025, 3, 14), "female")


def test_mask_and_hash() -> None:
    assert idnumber.mask("001325012345") == "********2345"
    ref = idnumber.holder_ref("001325012345", b"pepper")
    assert len(ref) == 64 and "001325012345" not in ref
    assert ref != idnumber.holder_ref("001325012345", b"other pepper")


@given(st.text(max_size=20))
def test_check_shape_only_raises_its_error(text: str) -> None:
    try:
        assert idnumber.check_shape(text) == text
    except InvalidIdNumber:
        pass
