"""Share links and their views in SQLite. Rows carry the time they may be
dropped (``domain.retention``); expired rows are swept on writes."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps, loads, stamp
from chalicelib.domain.models import LinkView, ShareLink
from chalicelib.domain.retention import link_kept_until, view_kept_until


class SqliteLinks:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_link(self, link: ShareLink) -> None:
        with self._db.tx() as db:
            Database.sweep(db, link.created_at)
            db.execute(
                "INSERT INTO links (id, token_hash, holder_ref, expires_at, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    link.id,
                    link.token_hash,
                    link.holder_ref,
                    stamp(link_kept_until(link)),
                    dumps(encode(link)),
                ),
            )

    def get_link(self, link_id: str) -> ShareLink | None:
        body = self._db.one("SELECT body FROM links WHERE id = ?", link_id)
        return None if body is None else decode(ShareLink, body)

    def find_link(self, token_hash: str) -> ShareLink | None:
        body = self._db.one("SELECT body FROM links WHERE token_hash = ?", token_hash)
        return None if body is None else decode(ShareLink, body)

    def list_links(self, holder_ref: str) -> list[ShareLink]:
        rows = self._db.all(
            "SELECT body FROM links WHERE holder_ref = ? ORDER BY rowid DESC", holder_ref
        )
        return [decode(ShareLink, b) for b in rows]

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        with self._db.tx() as db:  # the write lock: the check and the count are one step
            row = db.execute("SELECT body FROM links WHERE id = ?", (link_id,)).fetchone()
            link = None if row is None else decode(ShareLink, loads(row[0]))
            if link is None or not link.usable(now):
                return None
            counted = dataclasses.replace(link, views=link.views + 1)
            db.execute("UPDATE links SET body = ? WHERE id = ?", (dumps(encode(counted)), link_id))
        return counted

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        with self._db.tx() as db:
            row = db.execute("SELECT body FROM links WHERE id = ?", (link_id,)).fetchone()
            if row is not None:
                link = decode(ShareLink, loads(row[0]))
                if link.revoked_at is None:
                    revoked = dataclasses.replace(link, revoked_at=now)
                    db.execute(
                        "UPDATE links SET body = ? WHERE id = ?", (dumps(encode(revoked)), link_id)
                    )

    def add_view(self, view: LinkView) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO link_views (link_id, at, expires_at, body) VALUES (?, ?, ?, ?)",
                (
                    view.link_id,
                    stamp(view.at),
                    stamp(view_kept_until(view)),
                    dumps(encode(view)),
                ),
            )

    def list_views(self, link_id: str) -> list[LinkView]:
        rows = self._db.all(
            "SELECT body FROM link_views WHERE link_id = ? ORDER BY at DESC, rowid DESC", link_id
        )
        return [decode(LinkView, b) for b in rows]
