"""SQLAlchemy 2.0 typed models. Every row carries the workspace (``team_id``) it belongs to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A UTC instant: stored without zone (the same on SQLite and PostgreSQL), read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # storage/installs.py


class User(Base):
    """A Slack user of one workspace who uses infoint."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("team_id", "slack_user_id", name="uq_users_team_slack"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str | None] = mapped_column(String(64))
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    # Set when Slack says the user can't get DMs any more (left, deactivated): nudges stop.
    unreachable_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unreachable_reason: Mapped[str | None] = mapped_column(String(64))
    # When the weekly-plan rule next needs a look (indexed: the sweep reads only what is due).
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_team_owner_stage", "team_id", "owner_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    linkedin_url: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    degree: Mapped[str] = mapped_column(String(16))
    introducer_name: Mapped[str] = mapped_column(String(200), default="")
    # A referral: the contact who introduced this one (issue: referrals chain).
    introducer_contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(32), default="other")
    learning_goal: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(16))
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Bumped on every change: a button carries the version it was drawn for, so stale clicks are caught.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The last logged touch (thank-you, check-in…); keep-in-touch nudges count from it.
    last_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the nudge rules next need to look at this contact; set to "now" on every change.
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # What the conversations led to: "lead" (a job lead), "application" or "offer".
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    attempts: Mapped[list[OutreachAttempt]] = relationship(
        back_populates="contact", order_by="OutreachAttempt.sent_at", cascade="all, delete-orphan"
    )
    interviews: Mapped[list[Interview]] = relationship(
        back_populates="contact", order_by="Interview.starts_at", cascade="all, delete-orphan"
    )


class OutreachAttempt(Base):
    __tablename__ = "outreach_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(16), default="pending")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    contact: Mapped[Contact] = relationship(back_populates="attempts")


class Interview(Base):
    __tablename__ = "interviews"
    __table_args__ = (Index("ix_interviews_team_status_start", "team_id", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer, default=20)
    format: Mapped[str] = mapped_column(String(16), default="video")
    place: Mapped[str] = mapped_column(String(400), default="")
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    thank_you_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    introducer_thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The questions the student prepared for this interview (chosen from the bank, or their own).
    questions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    contact: Mapped[Contact] = relationship(back_populates="interviews")


class Note(Base):
    """Something the student wrote down about a contact or an interview. Belongs to the student."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_interview_id", "interview_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="general")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Nudge(Base):
    """The nudge log: one row per reminder situation (its key), so none goes out twice.

    Life of a row: ``pending`` (due at ``due_at``; after a failed delivery not before ``retry_at``)
    → ``sending`` (claimed by one sweep until ``claimed_until``) → ``sent`` (DM ``channel``/``message_ts``)
    → ``resolved`` (``resolution`` says how: done, moved on…). Snoozing puts it back to ``pending``.
    ``obsolete``: the situation changed before delivery; ``expired``: too late to be useful;
    ``failed``: Slack said the user can't be reached.
    """

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "key", name="uq_nudges_team_user_key"),
        Index("ix_nudges_status_due", "status", "due_at"),
        # A user's due nudges, claimed once per DM by the sweep.
        Index("ix_nudges_user_status_due", "user_id", "status", "due_at"),
        Index("ix_nudges_message", "team_id", "channel", "message_ts"),
        Index("ix_nudges_interview_id", "interview_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    step: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(64), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    resolution: Mapped[str | None] = mapped_column(String(32))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Cohort(Base):
    """A mentor's group of students: one per Slack channel. Its mentors are in ``cohort_mentors``.

    ``status``: ``active``; ``paused`` when the app left the channel or it was archived
    (``status_reason`` says which); ``closed`` by a mentor (the digest stops, only counts stay).
    The digest goes out on ``digest_weekday`` (Monday = 0) at ``digest_time`` (HH:MM) in
    ``digest_timezone``; ``next_digest_at`` is when the sweep next looks at it (indexed).
    """

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_cohorts_team_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    status_reason: Mapped[str | None] = mapped_column(String(32))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    digest_time: Mapped[str] = mapped_column(String(5), default="09:00", server_default="09:00")
    digest_timezone: Mapped[str | None] = mapped_column(String(64))
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    target_requests: Mapped[int] = mapped_column(Integer, default=3, server_default=text("3"))
    target_conversations: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortMentor(Base):
    __tablename__ = "cohort_mentors"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_cohort_mentors_cohort_user"),
        Index("ix_cohort_mentors_team_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortMember(Base):
    """A student in a cohort. Leaving keeps the row (``left_at`` set) so the view log still reads."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_cohort_user"),
        Index("ix_cohort_members_team_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    state_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    placed_what: Mapped[str | None] = mapped_column(String(200))
    placed_on: Mapped[date | None] = mapped_column(Date())
    placed_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    sharing: Mapped[str] = mapped_column(String(16), default="counts", server_default="counts")
    celebrate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CohortShare(Base):
    """One item a student shared with their cohort's mentors: a contact (``level`` contact: its name,
    company and stage) or an interview (``level`` takeaways). ``item`` is ``contact:<id>`` or
    ``interview:<id>``: one share per item and cohort."""

    __tablename__ = "cohort_shares"
    __table_args__ = (
        UniqueConstraint("cohort_id", "item", name="uq_cohort_shares_cohort_item"),
        Index("ix_cohort_shares_cohort_user", "cohort_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(16))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortNote(Base):
    """A mentor's private note on a student: only that cohort's mentors read it."""

    __tablename__ = "cohort_notes"
    __table_args__ = (Index("ix_cohort_notes_cohort_student", "cohort_id", "student_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortView(Base):
    """The view log: who saw which cohort (``student_id`` None: the whole report) or which student's
    row, when, and what (``report``, ``home``, ``student``, ``export``, ``attention``…)."""

    __tablename__ = "cohort_views"
    __table_args__ = (
        Index("ix_cohort_views_cohort_at", "cohort_id", "viewed_at"),
        Index("ix_cohort_views_cohort_student", "cohort_id", "student_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Kept with the row: the log still says who looked after the viewer's user row is gone.
    viewer_slack_id: Mapped[str] = mapped_column(String(32))
    student_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(32))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortDigest(Base):
    """The weekly digest log: one row per cohort and week (``week``: its local Monday), claimed like
    the nudge log so it goes out once however many processes run.

    ``pending`` → ``sending`` (claimed by one process: ``claim_token`` until ``claimed_until``) →
    ``sent`` (``channel``/``message_ts``; ``totals`` keeps the numbers posted); ``skipped`` when its
    week ended first (or the cohort was not active).
    """

    __tablename__ = "cohort_digests"
    __table_args__ = (
        UniqueConstraint("team_id", "cohort_id", "week", name="uq_cohort_digests_team_cohort_week"),
        Index("ix_cohort_digests_status_claimed_until", "status", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(64), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CohortNudge(Base):
    """A mentor nudged a student (``day``: the cohort's local day): a second nudge that day asks first."""

    __tablename__ = "cohort_nudges"
    __table_args__ = (Index("ix_cohort_nudges_cohort_student_day", "cohort_id", "student_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    day: Mapped[date] = mapped_column(Date())
    nudged_at: Mapped[datetime] = mapped_column(UTCDateTime())
