"""The values a caller sends, read once for every door (``domain.inputs``),
and the budgets every door spends (``services.ratelimit``).

The readers keep the codes and words the API has always answered with
(``MISSING_FIELD``, ``INVALID_DATE``, ``BAD_REQUEST``, ``INVALID_ID_NUMBER``),
report the first bad value in the order the API documents, and raise nothing
but a ``DocsealError`` whatever JSON arrives. The limiter counts a client's
uses per budget and never counts the operator's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import inputs
from chalicelib.domain.caller import OPERATOR, Caller
from chalicelib.errors import DocsealError, TooManyRequests
from chalicelib.services.ratelimit import LINKS, VERIFY, RateLimiter
from tests.support import HOLDER_ID, T0, FixedClock

GOOD: dict[str, Any] = {
    "type": "birth-registration",
    "holder": {"id_number": HOLDER_ID, "full_name": "Nguyễn Thị Hồng Nhung", "dob": "2025-03-14"},
    "fields": {"birth_place": "Hà Nội"},
}


def refusal(call: Any, *args: Any) -> tuple[int, str, str]:
    with pytest.raises(DocsealError) as info:
        call(*args)
    return info.value.http_status, info.value.code, info.value.message


def test_a_good_issue_request_reads_field_for_field() -> None:
    body = {**GOOD, "expires": "2030-01-31", "kid": "k1"}
    req = inputs.issue_request(body, "UBND-A")
    assert req == inputs.IssueRequest(
        "UBND-A",
        "birth-registration",
        HOLDER_ID,
        "Nguyễn Thị Hồng Nhung",
        dt.date(2025, 3, 14),
        {"birth_place": "Hà Nội"},
        dt.date(2030, 1, 31),
        "k1",
    )
    assert inputs.issue_request({**GOOD, "expires": None, "kid": None}, "A").expires is None


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({"type": None}, (400, "MISSING_FIELD", "type must be a non-empty string")),
        ({"type": ""}, (400, "MISSING_FIELD", "type must be a non-empty string")),
        ({"type": 7}, (400, "MISSING_FIELD", "type must be a non-empty string")),
        ({"holder": None}, (400, "MISSING_FIELD", "id_number must be a non-empty string")),
        ({"holder": ["x"]}, (400, "MISSING_FIELD", "id_number must be a non-empty string")),
        (
            {"holder": {**GOOD["holder"], "full_name": ""}},
            (400, "MISSING_FIELD", "full_name must be a non-empty string"),
        ),
        (
            {"holder": {**GOOD["holder"], "dob": "14/03/2025"}},
            (400, "INVALID_DATE", "dob must be a date YYYY-MM-DD"),
        ),
        (
            {"holder": {**GOOD["holder"], "dob": "20250314"}},
            (400, "INVALID_DATE", "dob must be a date YYYY-MM-DD"),
        ),
        ({"expires": "2030-02-30"}, (400, "INVALID_DATE", "expires must be a date YYYY-MM-DD")),
        ({"expires": ""}, (400, "MISSING_FIELD", "expires must be a non-empty string")),
        ({"kid": ""}, (400, "MISSING_FIELD", "kid must be a non-empty string")),
        # the first bad value is the one reported: the type before the holder
        ({"type": "", "holder": None}, (400, "MISSING_FIELD", "type must be a non-empty string")),
    ],
)
def test_a_bad_issue_request_names_its_first_bad_value(
    changes: dict[str, Any], refused: tuple[int, str, str]
) -> None:
    assert refusal(inputs.issue_request, {**GOOD, **changes}, "UBND-A") == refused


def test_presented_numbers_and_qr_texts() -> None:
    assert inputs.presented_id(None) is None and inputs.presented_id("") is None
    assert inputs.presented_id(HOLDER_ID) == HOLDER_ID
    for bad in ("12345", 1325012345, "٠٠١٣٢٥٠١٢٣٤٥", HOLDER_ID + " "):
        assert refusal(inputs.presented_id, bad) == (
            422,
            "INVALID_ID_NUMBER",
            "holder_id must be exactly 12 digits 0-9",
        )
    assert inputs.qr_text_of("") == ""  # garbage gets a verdict, not an error
    assert refusal(inputs.qr_text_of, None) == (400, "BAD_REQUEST", "qr_text must be a string")


def test_administration_bodies() -> None:
    issuer = inputs.new_issuer({"code": "A", "name_vi": "Ủy ban", "types": ["x"]})
    assert issuer == inputs.NewIssuer("A", "Ủy ban", "", ["x"], "")
    assert refusal(inputs.new_issuer, {"code": "A", "name_vi": "B", "types": "x"})[1:] == (
        "BAD_REQUEST",
        "types is a list of document type codes",
    )
    doc_type = inputs.new_doc_type(
        {"code": "t", "name_vi": "T", "fields": [{"code": "f", "required": False}]}
    )
    assert doc_type.fields == [("f", "", "", False, "text")]
    assert refusal(
        inputs.new_doc_type,
        {"code": "t", "name_vi": "T", "fields": [], "default_validity_days": True},
    )[2] == ("default_validity_days is a whole number")
    assert inputs.optional_instant({"effective": "2025-06-01T00:00:00Z"}, "effective") == (
        dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    )
    assert inputs.optional_instant({"effective": "2025-06-01T07:00"}, "effective") == (
        dt.datetime(2025, 6, 1, 7, tzinfo=dt.UTC)
    )
    assert refusal(inputs.optional_instant, {"effective": "soon"}, "effective") == (
        400,
        "INVALID_DATE",
        "effective is an ISO 8601 time",
    )
    assert inputs.corrections({}) == {} and inputs.free_text({"reason": None}, "reason") == ""
    assert refusal(inputs.corrections, {"fields": ["x"]})[1] == "BAD_REQUEST"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = st.sampled_from(
    (
        *("type", "holder", "fields", "expires", "kid", "id_number", "full_name", "dob"),
        *("code", "name_vi", "name_en", "types", "area", "default_validity_days"),
        *("effective", "reason"),
    )
)
BODIES = st.dictionaries(KEYS, JSON | st.just("2025-03-14") | st.just(GOOD["holder"]))


@settings(max_examples=300)
@given(BODIES)
def test_any_json_body_reads_or_is_refused_in_docseals_words(body: dict[str, Any]) -> None:
    readers = (
        lambda b: inputs.issue_request(b, "A"),
        inputs.new_issuer,
        inputs.new_doc_type,
        inputs.corrections,
        lambda b: inputs.optional_instant(b, "effective"),
        lambda b: inputs.presented_id(b.get("id_number")),
        lambda b: inputs.qr_text_of(b.get("type")),
    )
    for read in readers:
        try:
            read(body)
        except DocsealError as exc:
            assert exc.http_status in (400, 422)


class CountingHits:
    """The ``HitCounter`` port as a dict: a fake, as the store would count."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def count_hit(self, key: str, expires_at: dt.datetime) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


def test_each_budget_counts_a_clients_uses_and_never_the_operators() -> None:
    hits = CountingHits()
    limiter = RateLimiter(hits, FixedClock(T0), b"pepper", {VERIFY: 2, LINKS: 1})
    officer, other = Caller("203.0.113.9"), Caller("198.51.100.7")
    for _ in range(50):
        limiter.check(VERIFY, OPERATOR)
    assert hits.counts == {}  # the operator's CLI spends nothing, not even a store write
    limiter.check(VERIFY, officer)
    limiter.check(VERIFY, officer)
    limiter.check(LINKS, officer)  # another budget
    limiter.check(VERIFY, other)  # another client
    with pytest.raises(TooManyRequests) as refused:
        limiter.check(VERIFY, officer)
    assert refused.value.code == "RATE_LIMITED" and 1 <= refused.value.retry_after <= 61
    assert all("203.0.113.9" not in key for key in hits.counts)  # no address stored in clear


# The one date, instant and sequence rule, and JSON nested past any parser ----


@pytest.mark.parametrize(
    "text", ["2025-W11-5", "2025-073", "20250314", "٢٠٢٥-٠٣-١٤", "2025-3-14", " 2025-03-14"]
)
def test_only_yyyy_mm_dd_is_a_date(text: str) -> None:
    assert inputs.read_date(text) is None
    assert refusal(inputs.required_date, {"d": text}, "d")[:2] == (400, "INVALID_DATE")


@given(st.dates())
def test_every_calendar_date_reads_back(day: dt.date) -> None:
    assert inputs.read_date(day.isoformat()) == day


@given(st.text(max_size=40))
def test_any_text_is_a_date_written_back_as_itself_or_none(text: str) -> None:
    day = inputs.read_date(text)
    assert day is None or day.isoformat() == text


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-W11-5T10:00:00"]
)
def test_a_time_with_no_utc_instant_is_refused(text: str) -> None:
    assert inputs.read_instant(text) is None
    assert refusal(inputs.optional_instant, {"t": text}, "t")[:2] == (400, "INVALID_DATE")


@given(st.datetimes(), st.integers(-1439, 1439))
def test_every_instant_reads_back_in_utc_or_is_refused(local: dt.datetime, minutes: int) -> None:
    when = local.replace(tzinfo=dt.timezone(dt.timedelta(minutes=minutes)))
    read = inputs.read_instant(when.isoformat())
    assert read is None or (read.tzinfo == dt.UTC and read == when)


@given(st.text(max_size=30))
def test_any_sequence_text_is_in_range_or_none(text: str) -> None:
    number = inputs.read_sequence(text)
    assert number is None or 0 <= number <= inputs.MAX_SEQUENCE


def test_free_text_is_a_string_or_nothing() -> None:
    assert inputs.free_text({}, "reason") == inputs.free_text({"reason": None}, "reason") == ""
    for value in ({"why": ["forged", None, True]}, 5, ["x"], True, 0):
        assert refusal(inputs.free_text, {"reason": value}, "reason")[:2] == (400, "BAD_REQUEST")


def test_json_nested_past_the_parser_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested"):
        inputs.load_json('{"a":' * 100_000 + "1" + "}" * 100_000)
    assert inputs.load_json('{"a": [1]}') == {"a": [1]}
