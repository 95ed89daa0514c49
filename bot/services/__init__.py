"""The write side: one service per feature, each call one unit of work returning a result with events.

Handlers call these with plain values; services ask the domain for decisions and storage for records,
and return what happened as events (:mod:`bot.services.events`) plus any plain data the caller needs.
A refusal is :class:`ActionRefused`, in the user's words. No Slack, no Block Kit here.

:class:`Services` is built once per app and handed to every listener.
"""

from __future__ import annotations

from bot.queries import Queries
from bot.services.clock import Clock, system_clock
from bot.services.cohort_reads import CohortReads
from bot.services.cohorts import CohortService
from bot.services.contact_edits import ContactEdits
from bot.services.contacts import ContactService
from bot.services.datarights import DataRights
from bot.services.drafts import DraftService
from bot.services.errors import ActionRefused
from bot.services.interviews import InterviewService
from bot.services.lookup import LookupService
from bot.services.nudge_actions import NudgeActions
from bot.services.plan import PlanService
from bot.services.questions import QuestionService
from bot.services.users import UserService
from storage.db import Database

__all__ = ["ActionRefused", "Clock", "Services", "system_clock"]


class Services:
    """Every feature service, and the read side, over one database and one clock."""

    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.db = db
        self.clock = clock
        self.queries = Queries(db, clock)
        self.users = UserService(db, clock)
        self.contacts = ContactService(db, clock)
        self.interviews = InterviewService(db, clock)
        self.nudges = NudgeActions(db, clock)
        self.edits = ContactEdits(db, clock, self.nudges)
        self.plan = PlanService(db, clock)
        self.drafts = DraftService(db, clock, self.contacts)
        self.lookup = LookupService(db, clock)
        self.questions = QuestionService(db, clock)
        self.cohorts = CohortService(db, clock)
        self.cohort_reads = CohortReads(db, clock)
        self.datarights = DataRights(db, clock)
