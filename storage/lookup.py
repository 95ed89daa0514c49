"""Queries for search and the referral chain. Every query is scoped by workspace AND owner.

Search is a case-insensitive substring match written as SQL ``LIKE`` on lower-cased text, with the
user's text escaped so that ``%``, ``_`` and the escape character itself match literally. SQLite's
own ``lower()`` and ``LIKE`` fold ASCII letters only, so on SQLite the lower-casing is done by a
Python function registered on the connection; PostgreSQL's ``lower()`` folds every letter its
database locale knows (in a UTF-8 locale: "ZOË" → "zoë").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from bot.domain.chain import MAX_DEPTH, Known
from storage.models import Contact
from storage.scoped import Scoped

ESCAPE = "\\"
_SQLITE_LOWER = "infoint_lower"


def escape_like(text: str, escape: str = ESCAPE) -> str:
    """``text`` as a LIKE pattern that matches it literally (escape char first, then % and _)."""
    return text.replace(escape, escape + escape).replace("%", escape + "%").replace("_", escape + "_")


def _python_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class LookupStore(Scoped):
    """Search and chain queries of one workspace, inside the caller's unit of work (session)."""

    def __init__(self, session: Session, team_id: str) -> None:
        super().__init__(session, team_id)
        self.sqlite = session.get_bind().dialect.name == "sqlite"

    def _lower(self, expression: Any) -> ColumnElement[Any]:
        if self.sqlite:
            return getattr(func, _SQLITE_LOWER)(expression)
        return func.lower(expression)

    def _register_sqlite_lower(self) -> None:
        if self.sqlite:
            raw = self.session.connection().connection.driver_connection
            raw.create_function(_SQLITE_LOWER, 1, _python_lower, deterministic=True)  # type: ignore[union-attr]

    def search(self, owner_id: int, text: str, limit: int) -> tuple[Sequence[Contact], int]:
        """The owner's contacts whose name, company or industry contains ``text`` (any case).

        Returns at most ``limit`` of them (by name) and how many match in all.
        """
        self._register_sqlite_lower()
        pattern = self._lower(literal("%" + escape_like(text) + "%"))
        matches = or_(
            *(
                self._lower(column).like(pattern, escape=ESCAPE)
                for column in (Contact.name, Contact.company, Contact.industry)
            )
        )
        scope = (Contact.team_id == self.team_id, Contact.owner_id == owner_id, matches)
        total = self.session.scalar(select(func.count()).select_from(Contact).where(*scope)) or 0
        if total == 0:
            return [], 0
        found = self.session.scalars(
            select(Contact).where(*scope).order_by(self._lower(Contact.name), Contact.id).limit(limit)
        ).all()
        return found, total

    def chain_records(self, owner_id: int, contact_ids: Iterable[int]) -> Known:
        """Name and introducer of these contacts and of their introducers, MAX_DEPTH levels up.

        One recursive query. It reads one level more than a chain shows, so the chain knows whether it
        was cut. Introducers outside the workspace or not the owner's are never read.
        """
        wanted = sorted(set(contact_ids))
        if not wanted:
            return {}
        depth = cast(literal(1), Integer).label("depth")
        anchor = select(Contact.id, Contact.name, Contact.introducer_contact_id, depth).where(
            Contact.team_id == self.team_id, Contact.owner_id == owner_id, Contact.id.in_(wanted)
        )
        tree = anchor.cte("referral_chain", recursive=True)
        parent = aliased(Contact)
        tree = tree.union_all(
            select(parent.id, parent.name, parent.introducer_contact_id, tree.c.depth + 1).where(
                parent.id == tree.c.introducer_contact_id,
                parent.team_id == self.team_id,
                parent.owner_id == owner_id,
                tree.c.depth <= MAX_DEPTH,
            )
        )
        rows = self.session.execute(select(tree.c.id, tree.c.name, tree.c.introducer_contact_id)).all()
        return {int(row.id): (row.name, row.introducer_contact_id) for row in rows}
