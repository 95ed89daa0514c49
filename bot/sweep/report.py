"""What one pass of the sweep did, for its one-line summary."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool = False
    planned: int = 0
    dms: int = 0
    items: int = 0
    waiting: int = 0
    obsolete: int = 0
    expired: int = 0
    failed: int = 0
    retrying: int = 0
    recovered: int = 0
    #: sent with no answer (a timeout, a lost connection, a 5xx): kept, checked in the DM before any resend
    unconfirmed: int = 0
    #: rate-limited longer than the lease allows waiting: due again after Retry-After
    deferred: int = 0
    #: claims this sweep lost to another one (its lease ran out) before posting: not posted
    lost_leases: int = 0
    previews: list[str] = field(default_factory=list)
    #: workspaces whose bot token Slack refused ("T123 (invalid_auth)"): nothing sent there this pass
    refused_workspaces: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would send" if self.dry_run else "sent"
        parts = [
            f"sweep at {self.at.isoformat()}: {verb} {self.dms} DM(s) with {self.items} nudge(s)",
            f"{self.planned} newly due",
            f"{self.waiting} waiting for working hours",
        ]
        for label, count in (
            ("out of date", self.obsolete),
            ("expired", self.expired),
            ("unreachable", self.failed),
            ("to retry", self.retrying),
            ("recovered", self.recovered),
            ("unconfirmed (checked before any resend)", self.unconfirmed),
            ("rate-limited (due again later)", self.deferred),
            ("left to another sweep", self.lost_leases),
        ):
            if count:
                parts.append(f"{count} {label}")
        if self.refused_workspaces:
            names = ", ".join(self.refused_workspaces)
            parts.append(f"{len(self.refused_workspaces)} workspace(s) refused our token: {names}")
        return "; ".join(parts)

    def share(self) -> SweepReport:
        """An empty report for one unit of work (`Database.run_counted`)."""
        return SweepReport(at=self.at)

    def add(self, other: SweepReport) -> None:
        """Count what ``other`` (one unit of work's share) did into this report."""
        for item in fields(self):
            value = getattr(other, item.name)
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self, item.name, getattr(self, item.name) + value)
        self.previews.extend(other.previews)
        self.refused_workspaces.extend(other.refused_workspaces)
