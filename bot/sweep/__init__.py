"""The sweep: find what is due, log it, and deliver it as DMs, exactly once.

One pass, as of an instant ``now`` (`Sweeper.run`):
1. Plan: contacts and users whose ``next_check_at`` has come are run through the rules; every due
   nudge is logged under its key (a key already logged is left alone: that is what makes a nudge
   go out once however many sweeps run).
2. Then in each workspace, several workspaces at once (`dispatch`), each with its own client so
   that each stays within its own rate limits:
   a. Recover: claims whose lease ran out (a sweep died while sending, or a post got no answer) are
      checked against the DM's history, where each DM carries its claim in message metadata:
      delivered ones are recorded as sent, absent ones go back to pending (the history must have
      been read: otherwise they are checked again later, never resent blindly).
   b. Deliver: per user inside their working window, the pending nudges are claimed in one
      transaction (rows locked with SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite) with a
      lease, sent as one DM while the lease is still this sweep's, and recorded as sent with the
      message's channel and ts.

Modules: `sweeper` (the pass), `dispatch` (the pool of workspaces), `claims` (a claim and its
back-off), `plan` (what is due and still applies), `slack` (posting and reading the DM), `report`
(the summary).
"""

from __future__ import annotations

from bot.sweep.report import SweepReport
from bot.sweep.slack import METADATA_EVENT, UNREACHABLE
from bot.sweep.sweeper import Sweeper

__all__ = ["METADATA_EVENT", "UNREACHABLE", "SweepReport", "Sweeper"]
