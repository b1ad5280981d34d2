"""``docseal token`` mints a bearer token from the local development identity
provider; ``docseal link`` lets a citizen holding one share a document by a
link, list their links with who opened them, and withdraw one."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_OK, Commands, command, duration_arg, group, print_json
from chalicelib.domain import inputs, views
from chalicelib.domain.principal import ROLES, Principal
from chalicelib.errors import BadRequest, ErrorCode

DURATION = "a whole number and s, m, h or d (seconds, minutes, hours, days)"
AS_CITIZEN = "the citizen's token, from `docseal token --role citizen` (default: DOCSEAL_TOKEN)"


def register_token(commands: Commands) -> None:
    token = command(
        commands, "token", "mint a token from the local dev identity provider", run_token
    )
    token.add_argument("--role", required=True, choices=ROLES, help="the role it grants")
    token.add_argument("--issuer", help="the issuer's code, for --role issuer (needed there)")
    token.add_argument(
        "--holder-id", help="the citizen's 12-digit ID number, for --role citizen (needed there)"
    )
    token.add_argument(
        "--agency", help="the verifying officer's agency code, printed on verification receipts"
    )
    token.add_argument("--agency-name", help="that agency's name, printed beside its code")
    token.add_argument(
        "--ttl",
        type=duration_arg,
        default=dt.timedelta(hours=8),
        help=f"how long the token is good for: {DURATION}, e.g. 30m (default 8h)",
    )


def register_link(commands: Commands) -> None:
    link = group(commands, "link", "a citizen's share links (token: --token or DOCSEAL_TOKEN)")

    create = command(link, "create", "share a document; prints the URL once", run_create)
    create.add_argument("doc_id", help="the id of one of the citizen's documents")
    create.add_argument(
        "--expires-in",
        type=duration_arg,
        default="7d",
        help=f"how long the link works: {DURATION}, e.g. 90m, 12h, 3d; at most 30d (default 7d)",
    )
    create.add_argument(
        "--max-views", type=int, help="how many openings it allows, 1 to 1000 (default: no limit)"
    )
    create.add_argument(
        "--recipient", help="who it is for, e.g. the agency's name (at most 120 characters)"
    )
    create.add_argument("--disclose", help="field codes to show, a,b (default: all)")
    create.add_argument("--token", help=AS_CITIZEN)

    listing = command(link, "list", "my links with who opened them", run_list)
    listing.add_argument("--token", help=AS_CITIZEN)

    revoke = command(link, "revoke", "withdraw a link; it dies at once", run_revoke)
    revoke.add_argument("link_id", help="the link's id, as `docseal link list` shows it")
    revoke.add_argument("--token", help=AS_CITIZEN)


def run_token(a: argparse.Namespace) -> int:
    if a.role == "issuer" and not a.issuer:
        raise BadRequest("--role issuer needs --issuer CODE", code=ErrorCode.MISSING_ISSUER)
    if a.role == "citizen" and not a.holder_id:
        raise BadRequest("--role citizen needs --holder-id N", code=ErrorCode.MISSING_HOLDER)
    # the API's rule for an ID number: a citizen's token names a possible one
    holder_id = inputs.presented_id(a.holder_id)
    c = bootstrap.container()
    token = c.dev_idp.mint(
        a.role,
        c.clock.now(),
        ttl=a.ttl,
        issuer_code=a.issuer,
        holder_id=holder_id,
        agency=a.agency,
        agency_name=a.agency_name,
    )
    sys.stdout.write(token + "\n")
    return EXIT_OK


def citizen(c: bootstrap.Container, a: argparse.Namespace) -> Principal:
    """Who ``--token``, or else ``DOCSEAL_TOKEN``, names; ``TOKEN_MISSING`` without either."""
    token = a.token or c.settings.citizen_token
    return c.tokens.principal(f"Bearer {token}" if token else None, c.clock.now())


def run_create(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    created = c.links.create(
        citizen(c, a),
        a.doc_id,
        expires_in=int(a.expires_in.total_seconds()),
        max_views=a.max_views,
        recipient=a.recipient,
        disclose=a.disclose,
    )
    print_json({**views.link_view(created.link, None, c.clock.now()), "url": created.url})
    return EXIT_OK


def run_list(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    for link, openings in c.links.my_links(citizen(c, a)):
        print_json(views.link_view(link, openings, c.clock.now()))
    return EXIT_OK


def run_revoke(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    print_json(views.link_view(c.links.revoke(citizen(c, a), a.link_id), None, c.clock.now()))
    return EXIT_OK
