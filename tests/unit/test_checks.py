"""The page's "what was checked" list follows the verdict's reasons."""

from __future__ import annotations

from chalicelib.domain.checks import CHECKS, NEXT_STEPS, checklist, next_step
from chalicelib.domain.reasons import Reason


def states(reasons: tuple[Reason, ...], holder: bool = False, doc: bool = True) -> dict[str, str]:
    return {c.code: s for c, s in checklist(reasons, holder, doc)}


def test_a_valid_result_passes_every_check() -> None:
    assert set(states(()).values()) == {"passed"}
    assert "holder" not in states(())
    assert states((), holder=True)["holder"] == "passed"


def test_an_unreadable_code_fails_first_and_the_rest_is_not_checked() -> None:
    for reason in (Reason.MALFORMED, Reason.NOT_A_DOCSEAL_CODE, Reason.UNSUPPORTED_VERSION):
        got = states((reason,), doc=False)
        assert got["readable"] == "failed", reason
        assert {got[c.code] for c in CHECKS[1:]} == {"skipped"}


def test_every_reason_the_reading_of_a_text_gives_fails_the_first_check() -> None:
    """Whatever ``qrtext.canonical`` refuses a text with is never shown as
    "readable and in docseal's format" (a foreign code once was)."""
    from chalicelib.domain import qrtext
    from chalicelib.errors import MalformedPayload
    from tests.spellings import FOREIGN

    for _name, text in [*FOREIGN, ("v2", "DS2:AAAA"), ("cut", "DS1:AAA")]:
        try:
            qrtext.decode(text)
        except MalformedPayload as exc:
            assert states((Reason(exc.reason),), doc=False)["readable"] == "failed", text[:40]


def test_a_bad_signature_fails_the_signature_only() -> None:
    got = states((Reason.SIGNATURE_INVALID,), doc=False)
    assert got["readable"] == "passed" and got["signature"] == "failed"
    assert got["period"] == "skipped"


def test_later_failures_are_placed_on_their_check() -> None:
    got = states((Reason.EXPIRED, Reason.HOLDER_MISMATCH), holder=True)
    assert got["period"] == "failed" and got["holder"] == "failed"
    assert got["signature"] == "passed" and got["status"] == "passed"


def test_every_reason_has_a_next_step_in_both_languages() -> None:
    for reason in Reason:
        vi, en = next_step(reason)
        assert vi and en and vi != en
    assert set(NEXT_STEPS) <= set(Reason)
