"""``docseal doctype``: the catalogue of document types, their fields, and
the note a verifier's page shows with each."""

from __future__ import annotations

import argparse

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_OK, Commands, command, group, print_json
from chalicelib.domain import views
from chalicelib.domain.catalogue import DEFINABLE_KINDS, MAX_TYPE_FIELDS

SPEC = f"code:label_vi[:label_en][:optional][:{'|'.join(DEFINABLE_KINDS)}]"


def register_doctype(commands: Commands) -> None:
    doctype = group(commands, "doctype", "the document-type catalogue")

    command(doctype, "list", "every document type with its fields, one JSON line each", run_list)

    add = command(doctype, "add", "define a document type (or change one defined here)", run_add)
    add.add_argument(
        "code", help="the type's code: 3 to 64 characters a-z, 0-9 and '-', e.g. school-enrolment"
    )
    add.add_argument("--name", required=True, help="its name in Vietnamese")
    add.add_argument("--name-en", help="its name in English (default: the Vietnamese name)")
    add.add_argument(
        "--field",
        action="append",
        type=field_spec,
        help=f"{SPEC}: a field, required unless marked optional, text unless a kind is "
        f"given; the code is a-z, 0-9 and '_'; once per field, 1 to {MAX_TYPE_FIELDS}",
    )
    add.add_argument(
        "--validity-days",
        type=int,
        help="how many days a document of this type is valid from its issue "
        "(default: no expiry unless `docseal issue --expires` sets one)",
    )

    note = command(
        doctype, "note", "the note shown with a type on the page (empty texts clear it)", run_note
    )
    note.add_argument("type", help="the document type's code")
    note.add_argument(
        "--vi", required=True, help="in Vietnamese, e.g. the legal basis (at most 500 characters)"
    )
    note.add_argument(
        "--en", default="", help="in English (at most 500 characters; default: the Vietnamese)"
    )


def field_spec(text: str) -> tuple[str, str, str, bool, str]:
    """code:Nhãn tiếng Việt[:English label][:optional][:text|number|date]"""
    parts = text.split(":")
    kind = parts.pop() if len(parts) > 2 and parts[-1] in DEFINABLE_KINDS else "text"
    optional = parts[-1] == "optional"
    if optional:
        parts = parts[:-1]
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(f"{text!r} is not {SPEC}")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else parts[1], not optional, kind


def run_list(a: argparse.Namespace) -> int:
    for doc_type in bootstrap.container().trust.snapshot().doc_types.values():
        print_json(views.doc_type_view(doc_type))
    return EXIT_OK


def run_add(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    doc_type = c.doctypes.define_doc_type(
        a.code, a.name, a.name_en or a.name, a.field or [], a.validity_days, actor=c.settings.actor
    )
    print_json(views.doc_type_view(doc_type))
    return EXIT_OK


def run_note(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    c.doctypes.set_type_note(a.type, a.vi, a.en, actor=c.settings.actor)
    print_json({"type": a.type, "note_vi": a.vi.strip(), "note_en": a.en.strip()})
    return EXIT_OK
