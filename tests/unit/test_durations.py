"""Durations as people write them: one rule for the command line and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.durations import MAX_DURATION, UNIT_SECONDS, read_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45s", 45), ("90m", 5400), ("12h", 43200), ("3d", 259200), (" 3d ", 259200)],
)
def test_a_whole_number_and_a_unit(text: str, seconds: int) -> None:
    assert read_duration(text) == dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3",
        "d",
        "0d",
        "03d",
        "-1d",
        "+3d",
        "3_0d",
        "3 d",
        "3D",
        "1.5h",
        "10000000d",
        "\u0663d",
        "36501d",
        "9999999d",
    ],
)
def test_anything_else_is_not_a_duration(text: str) -> None:
    assert read_duration(text) is None


@given(st.integers(1, 9_999_999), st.sampled_from(sorted(UNIT_SECONDS)))
def test_every_duration_written_reads_back_up_to_the_longest(amount: int, unit: str) -> None:
    span = dt.timedelta(seconds=amount * UNIT_SECONDS[unit])
    assert read_duration(f"{amount}{unit}") == (span if span <= MAX_DURATION else None)


@given(st.integers(1, 9_999_999), st.sampled_from(sorted(UNIT_SECONDS)))
def test_a_duration_read_always_lands_on_a_time(amount: int, unit: str) -> None:
    """A token's or a link's end is now + the duration: never past the year 9999."""
    span = read_duration(f"{amount}{unit}")
    now = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    assert span is None or (now + span).year < 9999


@given(st.text(max_size=12))
def test_any_text_is_a_positive_duration_or_none(text: str) -> None:
    span = read_duration(text)
    assert span is None or dt.timedelta(0) < span <= MAX_DURATION
