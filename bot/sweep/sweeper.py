"""`Sweeper`: one pass of the sweep, delivering each due nudge as a DM exactly once.

Every unit of work runs through `Database.run` (again on a fresh connection if the connection
fails), and no Slack call is made inside a transaction. Time: the pass's ``now`` decides what is
due; leases are measured from it plus the real time elapsed since the pass began.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.nudges import nudge_message
from bot.logs import dm_fields, log_dm
from bot.queries.nudges import load_items
from bot.sweep import dispatch, plan
from bot.sweep.claims import HOUR, Claim, backoff
from bot.sweep.report import SweepReport
from bot.sweep.slack import (
    TOKEN_REFUSED,
    UNREACHABLE,
    HistoryUnavailable,
    Outcome,
    Posted,
    RateLimited,
    Refused,
    SweepSlack,
)
from storage.db import Database
from storage.models import Nudge, User
from storage.repository import SweepStore

if TYPE_CHECKING:
    from bot.workspaces import Workspaces

log = logging.getLogger("bot.sweep")
T = TypeVar("T")


class Sweeper:
    """One pass: log what fell due; then per workspace, recover claims whose lease ran out and
    deliver per user.

    The client's own retry handlers are not used (see `SweepSlack`): a 429 is waited out here,
    within the claim's lease, and a post without an answer is checked in the DM before any resend.

    ``client``: one Web API client for every team in the database, or `Workspaces` (each team with
    its own client), delivered to concurrently by up to ``workers`` threads (`bot.sweep.dispatch`).
    """

    def __init__(
        self,
        db: Database,
        client: WebClient | Workspaces | None,
        *,
        workers: int = dispatch.DEFAULT_WORKERS,
        batch: int = 500,
        lease: timedelta = timedelta(minutes=5),
        max_items_per_dm: int = 8,
        max_rate_limited: int = 5,
        unreadable_for: timedelta = timedelta(hours=24),
        sleep: Callable[[float], Any] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.workspaces = dispatch.workspaces_of(client)
        self.workers = workers
        self.team_id: str | None = None  # a courier of one workspace (`dispatch.courier`): its team
        self.slack = SweepSlack(client) if client is not None and not hasattr(client, "active") else None
        self.batch = batch
        self.lease = lease
        self.max_items = max_items_per_dm
        self.max_rate_limited = max_rate_limited
        self.unreadable_for = unreadable_for
        self.stopping = threading.Event()  # set: the pass stops between two DMs (a shutdown)
        self.sleep = sleep or self.stopping.wait  # a 429's wait ends early on a shutdown
        self.monotonic = monotonic
        self._origin = (datetime.min, 0.0)

    @property
    def client(self) -> Any:
        """The Web API client the sweep was given (the cohorts' digests post with it too)."""
        return self.slack.client if self.slack is not None else None

    # The pass -------------------------------------------------------------------------------------

    def run(self, now: datetime, *, dry_run: bool = False) -> SweepReport:
        report = SweepReport(at=now, dry_run=dry_run)
        if dry_run:
            with self.db.sessions() as session:
                session.begin()
                self._plan(session, now, report)
                plan.preview(session, now, report, self.batch, self.max_items)
                session.rollback()
            return report
        self._origin = (now, self.monotonic())
        while self._unit(report, "plan", lambda s, r: self._plan(s, now, r, one_batch=True)):
            pass
        dispatch.deliver(self, now, report)  # each workspace: recover its claims, then deliver
        return report

    def round(self, now: datetime, report: SweepReport) -> None:
        """This sweeper's workspace (every team, or ``team_id``'s): recover, then deliver."""
        self._recover(report)
        self._deliver(now, report)

    def _plan(self, session: Session, now: datetime, report: SweepReport, one_batch: bool = False) -> bool:
        return plan.plan(session, now, report, self.batch, one_batch)

    def _claim(self, session: Session, user: User, now: datetime, report: SweepReport) -> list[Nudge]:
        return plan.select_live(session, user, now, report, self.max_items)

    def _current(self) -> datetime:
        """The pass's instant plus the real time since it began: what leases are measured against."""
        start, began = self._origin
        return start + timedelta(seconds=self.monotonic() - began)

    def _unit(self, report: SweepReport, what: str, work: Callable[[Session, SweepReport], T]) -> T:
        """``work`` as one unit of work, retried on a fresh connection if the connection fails; what
        it counts reaches ``report`` only once it has committed."""
        return self.db.run_counted(work, report, what=f"sweep: {what}")

    # 1. Recover: claims whose lease ran out -----------------------------------------------------------

    def _recover(self, report: SweepReport) -> None:
        """A claim left ``sending`` past its lease (a sweep died, or a post got no answer) is checked
        in the DM's history: delivered → recorded as sent; not there (history read) → pending again,
        sent later in this pass; history unreadable → checked again later."""
        while not self.stopping.is_set():
            current = self._current()
            taken = self._unit(report, "recover", partial(self._take_expired, current))
            if not taken:
                return
            for claim in taken:
                self._settle(claim, report, just_posted=False)

    def _take_expired(self, current: datetime, session: Session, _share: SweepReport) -> list[Claim]:
        store = SweepStore(session)
        by_token: dict[str, list[Nudge]] = defaultdict(list)
        for nudge in store.expired_claims(current, self.batch, self.team_id):
            by_token[nudge.claim_token or ""].append(nudge)
        users = store.users_by_id(group[0].user_id for group in by_token.values())
        until = current + self.lease  # ours while we look: a stale holder can no longer post
        claims = []
        for token, group in by_token.items():
            for nudge in group:
                if token:
                    nudge.claimed_until = until
                else:  # no claim to look for: nothing was posted under it
                    nudge.status, nudge.claimed_until = "pending", None
            user = users.get(group[0].user_id)
            if token and user is not None:
                claims.append(
                    Claim(
                        token,
                        user.id,
                        user.slack_user_id,
                        user.dm_channel,
                        claimed_at=group[0].claimed_at or current,
                        held_until=until,
                        size=len(group),
                        attempts=max(n.delivery_attempts for n in group),
                    )
                )
        return claims

    def _settle(self, claim: Claim, report: SweepReport, *, just_posted: bool) -> None:
        """Look for the claim's DM and record what was found. ``just_posted``: the post had no answer
        a moment ago; if its DM is not there yet it may still land, so it is looked for again after a
        back-off rather than sent again now."""
        assert self.slack is not None
        reason = ""
        try:
            found = self.slack.find(claim.dm_channel, claim.token)
        except HistoryUnavailable as why:
            found, reason = None, str(why)
        current = self._current()

        def record(session: Session, share: SweepReport) -> None:
            rows = SweepStore(session).held(claim.token, claim.held_until)
            if found is not None:
                for nudge in rows:
                    nudge.status, nudge.claimed_until = "sent", None
                    nudge.sent_at = current if just_posted else nudge.claimed_at
                    nudge.channel, nudge.message_ts = found
                if just_posted:
                    share.dms += 1
                    share.items += len(rows)
                else:
                    share.recovered += len(rows)
                return
            age = current - claim.claimed_at
            if not just_posted and not reason:
                for nudge in rows:  # read, and not there: never delivered
                    nudge.status, nudge.claim_token, nudge.claimed_until = "pending", None, None
                return
            if reason and age >= self.unreadable_for:
                log.warning(
                    "DM history of %s unreadable for %s (%s): sending claim %s again unchecked",
                    claim.slack_user,
                    age,
                    reason,
                    claim.token,
                )
                for nudge in rows:
                    nudge.status, nudge.claim_token, nudge.claimed_until = "pending", None, None
                return
            wait = backoff(claim.attempts) if just_posted else min(max(age, timedelta(minutes=1)), HOUR)
            for nudge in rows:
                nudge.claimed_until = current + wait
            share.unconfirmed += len(rows)

        self._unit(report, "record a check", record)

    # 2. Deliver -----------------------------------------------------------------------------------------

    def _deliver(self, now: datetime, report: SweepReport) -> None:
        after = 0
        while not self.stopping.is_set():
            user_ids = self._unit(report, "find due nudges", partial(self._due_users, now, after))
            if not user_ids:
                return
            for user_id in user_ids:
                if self.stopping.is_set():
                    return
                self._deliver_to(user_id, now, report)
            after = user_ids[-1]

    def _due_users(self, now: datetime, after: int, session: Session, _share: SweepReport) -> list[int]:
        return SweepStore(session).users_with_due_nudges(now, self.batch, after, self.team_id)

    def _deliver_to(self, user_id: int, now: datetime, report: SweepReport) -> None:
        token = uuid.uuid4().hex
        claim = self._unit(report, "claim", lambda s, r: self._take(s, user_id, token, now, r))
        if claim is None:
            return
        if self.slack is None:
            raise RuntimeError("a sweep that sends needs a Slack client")
        started, outcome = self.monotonic(), None
        try:
            outcome = self._send(claim, now, report)
        finally:  # a refused token ends its workspace's round (an exception): the DM's line all the same
            log_dm(log, claim.about, outcome or sys.exc_info()[1], self.monotonic() - started)

    def _take(
        self, session: Session, user_id: int, token: str, now: datetime, share: SweepReport
    ) -> Claim | None:
        """Claim the user's live nudges under ``token`` (or find them claimed, when an earlier try
        of this unit committed before its connection failed) and render their DM."""
        store = SweepStore(session)
        claimed = list(store.sending(token))
        user = session.get(User, user_id) if claimed else store.user_to_claim(user_id)
        if user is None:  # gone, or another sweep is claiming their reminders right now
            return None
        if not claimed:
            claimed = self._claim(session, user, now, share)
            until = self._current() + self.lease
            for nudge in claimed:
                nudge.status, nudge.claim_token = "sending", token
                nudge.claimed_at, nudge.claimed_until = now, until
                nudge.delivery_attempts += 1
        if not claimed:
            return None
        held_until = claimed[0].claimed_until
        assert held_until is not None
        message = nudge_message(load_items(session, user, claimed, now))
        attempts = max(n.delivery_attempts for n in claimed)
        return Claim(
            token,
            user.id,
            user.slack_user_id,
            user.dm_channel,
            now,
            held_until,
            len(claimed),
            attempts,
            message,
            dm_fields(user.team_id, user.slack_user_id, claimed),
        )

    def _send(self, claim: Claim, now: datetime, report: SweepReport) -> Outcome | None:
        """Post the claim's DM while the lease is ours: it is checked and extended in the database
        before each post (fencing), 429s are waited out if the wait fits in the lease."""
        assert self.slack is not None and claim.message is not None
        limited = 0
        while True:
            if limited:  # after a wait; the lease taken with the claim a moment ago is whole
                current = self._current()
                until = current + self.lease
                if not self._unit(report, "hold", partial(self._hold, claim, current, until)):
                    log.warning(
                        "claim %s for %s was taken over: not posting it", claim.token, claim.slack_user
                    )
                    report.lost_leases += claim.size
                    return None
                claim.held_until = until
            outcome = self.slack.post(claim.slack_user, claim.token, claim.message)
            if isinstance(outcome, Posted):
                self._sent(claim, outcome, now, report)
                return outcome
            if isinstance(outcome, RateLimited):
                limited += 1
                if limited <= self.max_rate_limited and outcome.retry_after <= self._longest_wait():
                    self.sleep(outcome.retry_after)
                    if not self.stopping.is_set():  # else shutting down: the DM is due again later
                        continue
                self._release(claim, outcome.retry_after, report)
                return outcome
            if isinstance(outcome, Refused):
                self._failed(claim, now, outcome.error, report)
                if outcome.error in TOKEN_REFUSED:
                    raise dispatch.WorkspaceRefused(outcome.error)
                return outcome
            log.warning("DM to %s got no answer (%s): checking its DM", claim.slack_user, outcome.reason)
            self._settle(claim, report, just_posted=True)
            return outcome

    @staticmethod
    def _hold(claim: Claim, current: datetime, until: datetime, session: Session, _: SweepReport) -> bool:
        return SweepStore(session).hold(claim.token, claim.held_until, current, until)

    def _longest_wait(self) -> float:
        """The longest wait after which the lease set before the last post (which took at most the
        client's timeout) has not run out yet, so that it can be checked and extended."""
        assert self.slack is not None
        return max(self.lease.total_seconds() - self.slack.timeout - 5.0, 0.0)

    def _sent(self, claim: Claim, posted: Posted, now: datetime, report: SweepReport) -> None:
        def record(session: Session, share: SweepReport) -> None:
            for nudge in SweepStore(session).sending(claim.token):
                nudge.status, nudge.sent_at = "sent", now
                nudge.channel, nudge.message_ts = posted.channel, posted.ts
                nudge.claimed_until = None
            owner = session.get(User, claim.user_id)
            if owner is not None and owner.dm_channel != posted.channel:
                owner.dm_channel = posted.channel
            share.dms += 1
            share.items += claim.size

        self._unit(report, "record a DM", record)

    def _release(self, claim: Claim, retry_after: float, report: SweepReport) -> None:
        due = self._current() + timedelta(seconds=retry_after)

        def record(session: Session, share: SweepReport) -> None:
            rows = SweepStore(session).held(claim.token, claim.held_until)
            for nudge in rows:
                nudge.status, nudge.claim_token, nudge.claimed_until = "pending", None, None
                nudge.retry_at, nudge.error = due, "rate-limited"
            share.deferred += len(rows)

        self._unit(report, "defer", record)
        log.warning("DM to %s rate-limited for %ss: due again then", claim.slack_user, retry_after)

    def _failed(self, claim: Claim, now: datetime, reason: str, report: SweepReport) -> None:
        def record(session: Session, share: SweepReport) -> None:
            rows = SweepStore(session).held(claim.token, claim.held_until)
            if not rows:
                return
            user = session.get(User, claim.user_id)
            if reason in UNREACHABLE and reason not in TOKEN_REFUSED:
                if user is not None:
                    user.unreachable_since, user.unreachable_reason = now, reason
                for nudge in rows:
                    nudge.status, nudge.error, nudge.claim_token = "failed", reason, None
                    nudge.claimed_until = None
                share.failed += len(rows)
                return
            for nudge in rows:
                nudge.status, nudge.claim_token, nudge.error = "pending", None, reason[:200]
                nudge.claimed_until = None
                nudge.retry_at = now + backoff(nudge.delivery_attempts)
            share.retrying += len(rows)

        self._unit(report, "record a refusal", record)
        if reason in UNREACHABLE and reason not in TOKEN_REFUSED:
            log.warning("user %s can't be reached (%s): nudges stopped", claim.slack_user, reason)
        else:
            log.warning("DM to %s failed (%s); will retry", claim.slack_user, reason)
