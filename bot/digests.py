"""The weekly digests: each active cohort's digest posted to its channel once per week, however many
processes sweep, with the details and the chart in its thread; then each mentor's DM of the
students who need attention.

One pass, as of ``now`` (every sweep: ``infoint sweep`` and the scheduler of ``infoint run``),
serves the workspaces side by side, up to ``workers`` at once (a bounded pool, as the sweep's
delivery: `bot.sweep.dispatch`), each with its own client, its own database sessions and its own
share of the report, so a workspace whose Slack is slow or failing holds up no other. A workspace
that fails does not stop the others; the first error is raised once they have all finished. In each
workspace, one after another:

1. Recover: a claim whose lease ran out (its process died) goes back to pending.
2. Claim: the cohorts whose ``next_digest_at`` has come (rows locked with SKIP LOCKED on
   PostgreSQL); for each, this week's digest is claimed in the digest log (one row per cohort and
   week, one conditional UPDATE: of two processes, one gets the claim). A cohort whose digest is not
   due yet, or went out, is looked at again when it next is.
3. Post: the message (its claim in the message metadata), then the thread (details and the chart:
   a failure there leaves the digest sent), then the mentors' DMs. The app removed from the channel
   or the channel archived pauses the cohort; a 429 leaves the digest pending until Slack's
   Retry-After has passed (never waited out here: the claims behind it in the pass would run down
   their leases, and the sweep's thread with them); another error leaves it pending for a retry.

A stop requested (``stopping``: a shutdown) is looked at before each workspace and between two
digests: the digest being posted is finished and recorded, a workspace not begun claims nothing,
and claims taken but not begun go back to pending, due at the next sweep.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy.orm import Session

from bot.blocks.chart import digest_chart
from bot.blocks.cohort_digest import digest_message, digest_thread
from bot.blocks.cohort_dms import attention_message
from bot.config import DEFAULT_SWEEP_WORKERS
from bot.domain.cohort_digest import DigestSlot, due_digest, next_digest_at
from bot.domain.cohort_weekly import Measure
from bot.domain.cohorts import CohortEvent, CohortStatus, status_after
from bot.domain.window import MONTHS
from bot.queries.cohorts import digest_content
from bot.queries.models import DigestContent
from bot.sweep import UNREACHABLE
from bot.sweep.dispatch import side_by_side, workspaces_of
from bot.sweep.slack import retry_after
from bot.workspaces import Workspace, Workspaces
from storage.cohort_digests import DigestLog, DigestSweep
from storage.cohort_records import CohortRecords
from storage.cohorts import CohortStore, schedule_of
from storage.db import Database
from storage.models import Cohort, User

log = logging.getLogger(__name__)

METADATA_EVENT = "infoint_digest"
LEASE = timedelta(minutes=5)
RETRY = timedelta(minutes=15)
# Slack's answers to a post in the channel that mean the cohort can't be posted to: it pauses.
CHANNEL_GONE = {
    "not_in_channel": CohortEvent.APP_REMOVED,
    "channel_not_found": CohortEvent.APP_REMOVED,
    "is_archived": CohortEvent.CHANNEL_ARCHIVED,
}


@dataclass
class DigestReport:
    sent: int = 0
    paused: int = 0
    retrying: int = 0
    recovered: int = 0
    mentor_dms: int = 0

    def share(self) -> DigestReport:
        """An empty report for one unit of work (`Database.run_counted`)."""
        return DigestReport()

    def add(self, share: DigestReport) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(share, item.name))

    def summary(self) -> str:
        parts = [f"posted {self.sent} weekly digest(s)", f"{self.mentor_dms} mentor DM(s)"]
        for label, count in (("cohort(s) paused", self.paused), ("to retry", self.retrying)):
            if count:
                parts.append(f"{count} {label}")
        return "; ".join(parts)


@dataclass(frozen=True)
class _Claim:
    team_id: str
    cohort_id: int
    slot: DigestSlot
    token: str


def send_due_digests(
    db: Database,
    client: WebClient | Workspaces | None,
    now: datetime,
    batch: int = 50,
    *,
    workers: int = DEFAULT_SWEEP_WORKERS,
    stopping: threading.Event | None = None,
) -> DigestReport:
    """Post every digest due at ``now`` (none without a client: a dry run sends nothing); with
    `Workspaces`, each workspace's cohorts with that workspace's client, up to ``workers`` workspaces
    at once. Once ``stopping`` is set, no further digest is begun."""
    report = DigestReport()
    workspaces = workspaces_of(client)
    if workspaces is None:
        return report
    digest_pass = _DigestPass(db, now, batch, time.monotonic(), stopping or threading.Event())
    side_by_side(digest_pass.serve, workspaces.active(), workers, report, name="digests")
    return report


@dataclass(frozen=True)
class _DigestPass:
    """One pass's settings, shared read-only by its workers. ``began``: when the pass began
    (`time.monotonic`), for a Retry-After counted from the 429."""

    db: Database
    now: datetime
    batch: int
    began: float
    stopping: threading.Event

    def serve(self, workspace: Workspace) -> tuple[DigestReport, Exception | None]:
        """One workspace's digests, in one worker: what they did, and the error that ended them."""
        share, db, now, team_id = DigestReport(), self.db, self.now, workspace.team_id
        try:
            if self.stopping.is_set():
                return share, None
            # Recovering and claiming are run again on a fresh connection if theirs fails
            # (`Database.run`): a claim taken by a try whose commit was lost is recovered after its
            # lease, never posted twice.
            db.run_counted(partial(_recover, now, self.batch, team_id), share, what="digests: recover")
            claims = db.run(partial(_claim, now, self.batch, team_id), what="digests: claim")
            for n, claim in enumerate(claims):
                if self.stopping.is_set():
                    db.run(partial(_let_go, now, claims[n:]), what="digests: stop")
                    break
                _post(db, workspace.client, claim, now, share, self.began)
        except Exception as error:  # raised once the other workspaces are done
            log.exception("the digests of workspace %s failed", team_id or "(all teams)")
            return share, error
        return share, None


def _recover(now: datetime, batch: int, team_id: str | None, session: Session, share: DigestReport) -> None:
    for digest in DigestSweep(session).expired_claims(now, batch, team_id):
        if digest.claim_token and _release(
            session, digest.team_id, digest.cohort_id, digest.claim_token, "lease expired", now
        ):
            share.recovered += 1


def _let_go(now: datetime, claims: list[_Claim], session: Session) -> None:
    """Claims a stop left unposted: back to pending, their cohorts due at the next sweep."""
    for claim in claims:
        _release(session, claim.team_id, claim.cohort_id, claim.token, "stopped before posting", now)


def _release(session: Session, team_id: str, cohort_id: int, token: str, reason: str, now: datetime) -> bool:
    """A claim not posted goes back to pending, and its cohort, if still active, is due at ``now``:
    False when the claim was no longer held (another process recovered it, and did the same)."""
    digests = DigestLog(session, team_id)
    if not digests.release_digest(token, reason):
        return False
    cohort = CohortStore(session, team_id).get(cohort_id)
    if cohort is not None and cohort.status == CohortStatus.ACTIVE.value:
        digests.schedule_next_digest(cohort, now)
    return True


def _sent(session: Session, cohort: Cohort, slot: DigestSlot) -> bool:
    digests = DigestLog(session, cohort.team_id).digests(cohort)
    return any(d.week == slot.week and d.status == "sent" for d in digests)


def _claim(now: datetime, batch: int, team_id: str | None, session: Session) -> list[_Claim]:
    claims: list[_Claim] = []
    for cohort in DigestSweep(session).due(now, batch, team_id):
        digests, schedule = DigestLog(session, cohort.team_id), schedule_of(cohort)
        slot = due_digest(now, schedule)
        if slot is None:
            digests.schedule_next_digest(cohort, next_digest_at(now, schedule))
            continue
        token = digests.claim_digest(cohort, slot, now, LEASE)
        if token is None:  # sent already, or another process is posting it
            sent = _sent(session, cohort, slot)
            digests.schedule_next_digest(cohort, next_digest_at(now, schedule, True) if sent else now + LEASE)
            continue
        digests.schedule_next_digest(cohort, now + LEASE)
        claims.append(_Claim(cohort.team_id, cohort.id, slot, token))
    return claims


def _post(
    db: Database, client: WebClient, claim: _Claim, now: datetime, report: DigestReport, began: float
) -> None:
    """``began``: when the pass began (`time.monotonic`), for a Retry-After counted from the 429."""
    with db.session() as session:
        cohort = CohortStore(session, claim.team_id).get(claim.cohort_id)
        if cohort is None:
            return
        content = digest_content(session, claim.team_id, cohort, claim.slot, now)
    channel = content.cohort.channel_id
    try:
        posted = _answering_429s(client).chat_postMessage(
            channel=channel,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"claim": claim.token}},
            **digest_message(content),
        )
    except SlackApiError as error:
        reason = str(error.response.get("error") or "error")
        if error.response.status_code == 429:  # due again once Retry-After has passed (as a DM is)
            after_now = time.monotonic() - began + retry_after(error.response.headers)
            _failed(db, claim, reason, now, report, again_at=now + timedelta(seconds=after_now))
        else:
            _failed(db, claim, reason, now, report)
        return
    except OSError as error:
        _failed(db, claim, f"network: {error}", now, report)
        return
    ts = str(posted["ts"])
    with db.session() as session:
        digests = DigestLog(session, claim.team_id)
        numbers = content.numbers
        totals: dict[str, Any] = {m.value: numbers.totals.of(m) for m in Measure}
        totals |= {"placements": numbers.placements, "medians": content.medians}
        digests.digest_sent(claim.token, now, str(posted["channel"]), ts, totals)
        cohort = CohortStore(session, claim.team_id).get(claim.cohort_id)
        if cohort is not None and cohort.status == CohortStatus.ACTIVE.value:
            digests.schedule_next_digest(cohort, next_digest_at(now, schedule_of(cohort), True))
    report.sent += 1
    log.info(
        "digest of cohort %s/%s for the week of %s posted", claim.team_id, claim.cohort_id, claim.slot.covers
    )
    _thread(client, channel, ts, content)
    report.mentor_dms += _mentors(db, client, claim, content, now)


def _answering_429s(client: WebClient) -> WebClient:
    """The client without slack_sdk's 429 handler, which would wait Retry-After inside the call: a
    429 on the digest is answered by `_post` (its other retry handlers stay)."""
    if not isinstance(client, WebClient):
        return client
    own = copy.copy(client)
    own.retry_handlers = [h for h in client.retry_handlers if not isinstance(h, RateLimitErrorRetryHandler)]
    return own


def _failed(
    db: Database,
    claim: _Claim,
    reason: str,
    now: datetime,
    report: DigestReport,
    again_at: datetime | None = None,
) -> None:
    """The digest back to pending; its cohort paused if its channel is gone, else due again at
    ``again_at`` (a 429's Retry-After) or after `RETRY`."""
    with db.session() as session:
        DigestLog(session, claim.team_id).release_digest(claim.token, reason)
        store = CohortStore(session, claim.team_id)
        cohort = store.get(claim.cohort_id)
        if cohort is None:
            return
        event = CHANNEL_GONE.get(reason)
        if event is not None:
            store.set_status(cohort, status_after(CohortStatus(cohort.status), event), now, event.value)
            report.paused += 1
            log.warning("cohort %s/%s paused: %s", claim.team_id, claim.cohort_id, reason)
        else:
            again_at = again_at or now + RETRY
            DigestLog(session, claim.team_id).schedule_next_digest(cohort, again_at)
            report.retrying += 1
            log.warning(
                "digest of cohort %s/%s failed (%s); will retry at %s",
                claim.team_id,
                claim.cohort_id,
                reason,
                again_at.isoformat(timespec="seconds"),
            )


def _thread(client: WebClient, channel: str, ts: str, content: DigestContent) -> None:
    """The details and the chart, in the digest's thread."""
    week = content.numbers.week
    try:
        client.chat_postMessage(channel=channel, thread_ts=ts, **digest_thread(content))
        title = f"{content.cohort.name}: the week of {week.day} {MONTHS[week.month - 1]}"
        client.files_upload_v2(
            channel=channel,
            thread_ts=ts,
            content=digest_chart(content.numbers, title),
            filename=f"cohort-digest-{week.isoformat()}.png",
            title="The cohort's funnel and its last six weeks",
            alt_txt="The cohort's funnel as bars; requests, replies and interviews per week as lines",
        )
    except (SlackApiError, OSError) as error:
        log.warning("the digest's thread in %s is incomplete: %s", channel, error)


def _mentors(db: Database, client: WebClient, claim: _Claim, content: DigestContent, now: datetime) -> int:
    """Each reachable mentor's DM of who needs attention (none when nobody does). A deactivated or
    departed mentor is marked unreachable and skipped; the others still get theirs."""
    if not content.attention:
        return 0
    with db.session() as session:
        cohort = CohortStore(session, claim.team_id).get(claim.cohort_id)
        mentors = CohortStore(session, claim.team_id).mentors(cohort) if cohort is not None else []
    message, sent = attention_message(content), 0
    for mentor in mentors:
        if not mentor.reachable:
            continue
        reason = _unreachable(client, mentor.slack_user_id)
        if reason is None:
            try:
                client.chat_postMessage(channel=mentor.slack_user_id, **message)
            except SlackApiError as error:
                reason = str(error.response.get("error"))
                if reason not in UNREACHABLE:
                    log.warning("attention DM to %s failed: %s", mentor.slack_user_id, reason)
                    continue
        with db.session() as session:
            cohort = CohortStore(session, claim.team_id).get(claim.cohort_id)
            user = session.get(User, mentor.user_id)
            if reason is not None:
                if user is not None and user.unreachable_since is None:
                    user.unreachable_since, user.unreachable_reason = now, reason[:64]
                continue
            if cohort is not None and user is not None:
                CohortRecords(session, claim.team_id).record_view(cohort, user, "attention", now)
        sent += 1
    return sent


def _unreachable(client: WebClient, slack_user: str) -> str | None:
    """Why Slack says the user can't be reached (users.info), or None."""
    try:
        info = client.users_info(user=slack_user)
    except SlackApiError as error:
        reason = str(error.response.get("error"))
        return reason if reason in UNREACHABLE else None
    except OSError:
        return None
    return "account_inactive" if (info.get("user") or {}).get("deleted") else None
