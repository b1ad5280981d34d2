"""The documented enums stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from chalicelib.domain.reasons import EXPLANATIONS, Reason
from chalicelib.errors import ErrorCode

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


def test_every_error_code_is_documented() -> None:
    """docs/REASONS.md lists every code an error can carry, with its status."""
    text = (DOCS / "REASONS.md").read_text()
    missing = [code.value for code in ErrorCode if f"`{code.value}`" not in text]
    assert missing == []


def test_error_codes_are_never_free_strings() -> None:
    """A code is raised as an ``ErrorCode`` member, never as a string literal
    that could drift from the documented list."""
    import ast

    root = DOCS.parent / "chalicelib"
    found = []
    for path in [*root.rglob("*.py"), DOCS.parent / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.keyword) and node.arg in {"code", "reason"}:
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found.append(f"{path.name}:{node.value.lineno}")
    assert found == []
