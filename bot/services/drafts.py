"""Drafts for a contact: which fit where it stands, and "Sent it" recording the request they were for."""

from __future__ import annotations

from bot.domain import pipeline as core
from bot.queries.drafts import DraftQueries
from bot.queries.models import ContactDrafts
from bot.services.clock import Clock, system_clock
from bot.services.contacts import ContactService
from bot.services.errors import ActionRefused
from bot.services.events import Result
from bot.services.ownership import NOT_YOUR_CONTACT, owned_contact
from storage.db import Database
from storage.repository import Repository


class RouteUnsaid(ActionRefused):
    """ "Sent it" on a 2nd-degree target's drafts without saying whom the request went to."""

    def __init__(self) -> None:
        super().__init__("Choose which one you sent: the request for an introduction, or your own note.")


class DraftService:
    def __init__(
        self, db: Database, clock: Clock = system_clock, contacts: ContactService | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.queries = DraftQueries(db, clock)
        self.contacts = contacts or ContactService(db, clock)

    def for_contact(self, team_id: str, slack_user: str, contact_id: int) -> ContactDrafts:
        """The drafts that fit the user's own contact; refused for anyone else's or when none fits."""
        with self.db.session() as session:
            owned_contact(Repository(session, team_id), slack_user, contact_id)
        found = self.queries.for_contact(team_id, slack_user, contact_id)
        if found is None:  # removed in between
            raise ActionRefused(NOT_YOUR_CONTACT)
        if not found.drafts:
            raise ActionRefused(f"No draft for a contact at “{found.stage.label}”.")
        return found

    def sent(
        self,
        team_id: str,
        slack_user: str,
        contact_id: int,
        version: int,
        route: core.RequestRoute | None = None,
    ) -> Result:
        """ "Sent it": the request or follow-up is recorded (a 2nd-degree target's says whom it went
        to: ``route``); after an interview, the thank-you or the keep-in-touch note is (the next
        check-in counts from now). Other drafts record nothing."""
        found = self.for_contact(team_id, slack_user, contact_id)
        if found.asks_route and route is None:
            raise RouteUnsaid()
        if found.records_a_request:
            recorded = self.contacts.request_sent(team_id, slack_user, contact_id, version, route)
            return Result(recorded.events)
        if found.stage is core.Stage.INTERVIEWED:
            return Result(self.contacts.touched(team_id, slack_user, contact_id, version).events)
        return Result()
