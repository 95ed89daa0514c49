"""Delivery across workspaces: each workspace's due DMs sent by one worker of a bounded pool, so
workspaces are served concurrently while each stays within its own rate limits.

A workspace is handled by a *courier*: a copy of the `Sweeper` with that workspace's client and
team (``team_id``; None: every team, one client). It recovers the workspace's expired claims, then
delivers its users' DMs one at a time, waiting out a 429's ``Retry-After`` in its own thread, so a
rate-limited workspace never holds up another. Exactly once does not depend on the pool: every
claim is taken in the database (`storage.sweepstore`) and each unit of work runs in a session of
its own (`Database.run`), never shared between threads.

A workspace whose bot token Slack refuses (uninstalled, revoked) stops at its first refusal: its
claim goes back to pending, the report names it, and the other workspaces go on.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from bot.config import DEFAULT_SWEEP_WORKERS
from bot.sweep.report import SweepReport
from bot.sweep.slack import SweepSlack
from bot.workspaces import SingleWorkspace, Workspace, Workspaces
from storage.db import Tally

if TYPE_CHECKING:
    from bot.sweep.sweeper import Sweeper

log = logging.getLogger("bot.sweep")

U = TypeVar("U")
R = TypeVar("R", bound=Tally)

#: Workspaces delivered to at once (``INFOINT_SWEEP_WORKERS``). A worker is mostly waiting (on
#: Slack, or on a workspace's Retry-After), so more workers than cores is the point.
DEFAULT_WORKERS = DEFAULT_SWEEP_WORKERS


class WorkspaceRefused(Exception):
    """Slack refused the workspace's bot token: nothing more is sent there in this pass."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def workspaces_of(client: Any) -> Workspaces | None:
    """What the sweep was given, as `Workspaces`: one client becomes a `SingleWorkspace`."""
    if client is None:
        return None
    if hasattr(client, "active"):
        return client  # type: ignore[no-any-return]
    return SingleWorkspace(client)


def courier(sweeper: Sweeper, workspace: Workspace) -> Sweeper:
    """The sweeper for one workspace: its client and team, the same database and settings."""
    own = copy.copy(sweeper)
    own.slack = SweepSlack(workspace.client)
    own.team_id = workspace.team_id
    return own


def deliver(sweeper: Sweeper, now: datetime, report: SweepReport) -> None:
    """Recover and deliver in every active workspace, up to ``sweeper.workers`` at once. A worker
    that fails (its database unreachable after `Database.run`'s retries) does not stop the others;
    its error is raised once they have all finished."""
    if sweeper.workspaces is None:  # no client: anything due to send is an error, as before
        sweeper.round(now, report)
        return
    couriers = [courier(sweeper, workspace) for workspace in sweeper.workspaces.active()]
    side_by_side(lambda one: _round(one, now, report.at), couriers, sweeper.workers, report, name="sweep")


def side_by_side(
    serve: Callable[[U], tuple[R, Exception | None]],
    units: Sequence[U],
    workers: int,
    report: R,
    *,
    name: str,
) -> None:
    """``serve`` each of ``units`` (a workspace's work), up to ``workers`` at once in a pool whose
    threads are named after ``name`` (in this thread when one is enough), each returning its share
    of the report and the error that ended it; the shares are added to ``report``, and the first
    error is raised once every unit has finished. The sweep's delivery and the weekly digests."""
    size = max(1, min(workers, len(units)))
    if size == 1:
        results = [serve(unit) for unit in units]
    else:
        with ThreadPoolExecutor(max_workers=size, thread_name_prefix=name) as pool:
            results = list(pool.map(serve, units))
    errors = []
    for share, error in results:
        report.add(share)
        if error is not None:
            errors.append(error)
    if errors:
        raise errors[0]


def _round(one: Sweeper, now: datetime, at: datetime) -> tuple[SweepReport, Exception | None]:
    share = SweepReport(at=at)
    try:
        one.round(now, share)
    except WorkspaceRefused as refused:
        team = one.team_id or "the workspace"
        log.warning("Slack refused the bot token of %s (%s): skipping it this pass", team, refused.reason)
        share.refused_workspaces.append(f"{team} ({refused.reason})")
    except Exception as error:  # reported after the other workspaces are done
        log.exception("the sweep of workspace %s failed", one.team_id or "(all teams)")
        return share, error
    return share, None
