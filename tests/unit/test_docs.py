"""The documented enums stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from chalicelib.domain.reasons import EXPLANATIONS, Reason

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_every_reason_is_documented_with_its_texts() -> None:
    text = (DOCS / "REASONS.md").read_text()
    for reason in Reason:
        vi, en = EXPLANATIONS[reason]
        assert f"`{reason.value}`" in text
        assert vi in text and en in text


def test_every_reason_has_both_languages() -> None:
    assert set(EXPLANATIONS) == set(Reason)
    assert all(vi and en and vi != en for vi, en in EXPLANATIONS.values())
