"""The read side: display models (:mod:`bot.queries.models`) and the reads that fill them from the records.

:class:`Queries` gathers one reader per screen; each read is its own short unit of work and returns
display models (or None for what isn't the user's), never records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.queries.cohorts import CohortQueries
from bot.queries.contacts import ContactQueries
from bot.queries.datarights import DataRightsQueries
from bot.queries.drafts import DraftQueries
from bot.queries.home import HomeQueries
from bot.queries.interviews import InterviewQueries
from bot.queries.lookup import LookupQueries
from bot.queries.nudges import NudgeQueries
from bot.queries.reports import ReportQueries
from bot.queries.users import UserQueries
from storage.db import Database


class Queries:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.cohorts = CohortQueries(db, clock)
        self.contacts = ContactQueries(db, clock)
        self.datarights = DataRightsQueries(db, clock)
        self.drafts = DraftQueries(db, clock)
        self.home = HomeQueries(db)
        self.interviews = InterviewQueries(db)
        self.lookup = LookupQueries(db, clock)
        self.nudges = NudgeQueries(db)
        self.reports = ReportQueries(db)
        self.users = UserQueries(db)
