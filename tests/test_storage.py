"""The repository on a real database (SQLite here, PostgreSQL when INFOINT_TEST_DATABASE_URL says so)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import OperationalError

from bot.domain import pipeline as core
from bot.domain.forms import ContactInput, InterviewInput, Standing
from bot.domain.nextstep import StepKind
from bot.services import ActionRefused, Services
from bot.services.interviews import InterviewService
from storage.db import Database, normalise_url
from storage.models import Base, Contact
from storage.repository import Repository, StaleVersion

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def values(name: str = "Ada") -> dict[str, str]:
    return {"name": name, "degree": "first"}


def test_migrations_match_the_models(db: Database) -> None:
    assert db.current_revision() == db.head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db: Database) -> None:
    assert db.upgrade() == db.head_revision()


def test_url_normalisation() -> None:
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_datetimes_come_back_in_utc(db: Database) -> None:
    local = datetime(2026, 3, 2, 10, 0, tzinfo=core.UTC if hasattr(core, "UTC") else UTC) + timedelta(hours=0)
    with db.session() as session:
        repo = Repository(session, "T1")
        user = repo.get_or_create_user("U1", local)
        contact_id = repo.add_contact(user, values(), core.Stage.TARGET, local).id
    with db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None and contact.created_at == local and contact.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"), db.session() as session:
        Repository(session, "T1").get_or_create_user("U1", datetime(2026, 1, 1))


def test_every_query_is_scoped_by_workspace_and_owner(db: Database) -> None:
    with db.session() as session:
        t1 = Repository(session, "T1")
        t2 = Repository(session, "T2")
        alice, bob = t1.get_or_create_user("UA", NOW), t1.get_or_create_user("UB", NOW)
        alice_other_team = t2.get_or_create_user("UA", NOW)
        mine = t1.add_contact(alice, values("Mine"), core.Stage.TARGET, NOW)
        t1.add_contact(bob, values("Bob's"), core.Stage.TARGET, NOW)
        t2.add_contact(alice_other_team, values("Other team"), core.Stage.TARGET, NOW)

        assert alice.id != alice_other_team.id
        assert [c.name for c in t1.contacts_of(alice)] == ["Mine"]
        assert [c.name for c in t2.contacts_of(alice_other_team)] == ["Other team"]
        assert t1.contact_of(bob, mine.id) is None
        assert t2.contact_of(alice_other_team, mine.id) is None
        assert t1.contact_of(alice, mine.id) is not None
        assert t1.stage_counts(alice)[core.Stage.TARGET] == 1


def test_repository_needs_a_workspace(db: Database) -> None:
    with db.session() as session, pytest.raises(ValueError):
        Repository(session, "")


def test_advance_is_compare_and_set(db: Database) -> None:
    with db.session() as session:
        repo = Repository(session, "T1")
        user = repo.get_or_create_user("U1", NOW)
        contact = repo.add_contact(user, values(), core.Stage.TARGET, NOW)
        repo.advance(contact, 1, core.Stage.REQUESTED, NOW)
        assert contact.version == 2 and contact.stage == "requested"
        with pytest.raises(StaleVersion):
            repo.advance(contact, 1, core.Stage.REQUESTED, NOW)


def _input(**kw: object) -> ContactInput:
    return ContactInput(name=str(kw.pop("name", "Ada")), degree=core.Degree.FIRST, **kw)  # type: ignore[arg-type]


def test_log_contact_with_each_standing(db: Database) -> None:
    services = Services(db, clock=lambda: NOW)
    target = services.contacts.log_contact("T1", "U1", _input()).card
    requested = services.contacts.log_contact(
        "T1", "U1", _input(standing=Standing.REQUEST_SENT, request_channel=core.OutreachChannel.LINKEDIN)
    ).card
    scheduled = services.contacts.log_contact(
        "T1", "U1", _input(standing=Standing.INTERVIEW_SCHEDULED, interview_at=NOW + timedelta(days=3))
    ).card
    assert target.stage is core.Stage.TARGET and target.attempts == 0
    assert requested.stage is core.Stage.REQUESTED and requested.attempts == 1
    assert scheduled.stage is core.Stage.SCHEDULED and scheduled.next_interview == NOW + timedelta(days=3)


def test_request_sent_three_times_then_refused(db: Database) -> None:
    services = Services(db, clock=lambda: NOW)
    card = services.contacts.log_contact("T1", "U1", _input()).card
    for expected in (1, 2, 3):
        card = services.contacts.request_sent("T1", "U1", card.id, card.version).card
        assert card.attempts == expected and card.stage is core.Stage.REQUESTED
    with pytest.raises(ActionRefused, match="3 tries"):
        services.contacts.request_sent("T1", "U1", card.id, card.version)


def test_request_sent_stale_and_foreign(db: Database) -> None:
    services = Services(db, clock=lambda: NOW)
    card = services.contacts.log_contact("T1", "U1", _input()).card
    services.contacts.request_sent("T1", "U1", card.id, card.version)
    with pytest.raises(ActionRefused, match="Already done"):
        services.contacts.request_sent("T1", "U1", card.id, card.version)
    with pytest.raises(ActionRefused, match="isn't in your list"):
        services.contacts.request_sent("T1", "U2", card.id, card.version + 1)
    with pytest.raises(ActionRefused, match="isn't in your list"):
        services.contacts.request_sent("T2", "U1", card.id, card.version + 1)


def test_schedule_interview(db: Database) -> None:
    services = Services(db, clock=lambda: NOW)
    card = services.contacts.log_contact("T1", "U1", _input()).card
    when = NOW + timedelta(days=2)
    info = (
        InterviewService(db, clock=lambda: NOW)
        .schedule(
            "T1", "U1", card.id, card.version, InterviewInput(when, 30, core.InterviewFormat.PHONE, "Café")
        )
        .info
    )
    assert info.starts_at == when and info.place == "Café"
    card = services.contacts.card("T1", "U1", card.id)
    assert card.stage is core.Stage.SCHEDULED and card.next_interview == when


def test_concurrent_clicks_record_one_attempt(migrated_db: Database, db: Database) -> None:
    """Many threads click the same 'Request sent' button at once: exactly one attempt is recorded."""
    services = Services(db, clock=lambda: NOW)
    card = services.contacts.log_contact("T1", "U1", _input()).card
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def click() -> None:
        barrier.wait()
        try:
            services.contacts.request_sent("T1", "U1", card.id, card.version)
            outcomes.append("recorded")
        except ActionRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["recorded"] + ["refused"] * 7
    assert services.queries.contacts.pipeline("T1", "U1")[0].attempts == 1


def test_dashboard_lists_due_steps(db: Database) -> None:
    services = Services(db, clock=lambda: NOW)
    services.contacts.log_contact("T1", "U1", _input(name="Grace"))
    screen = services.queries.home.screen("T1", "U1", NOW)
    assert screen.counts[core.Stage.TARGET] == 1
    # A fresh target: no reminder is planned for it, so it has no due day and is never "overdue".
    due = [row.next_step for row in screen.rows if row.next_step]
    assert [(d.name, d.kind, d.day, d.overdue) for d in due] == [
        ("Grace", StepKind.SEND_REQUEST, None, False)
    ]
    nobody = services.queries.home.screen("T1", "nobody", NOW)
    assert nobody.counts == dict.fromkeys(core.Stage, 0) and nobody.rows == () and nobody.first_use


def test_a_unit_of_work_is_run_again_when_the_connection_fails(db: Database) -> None:
    calls: list[int] = []

    def work(session: object) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return "done"

    assert db.run(work) == "done" and len(calls) == 3
    calls.clear()

    def always(session: object) -> str:
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("the server is gone"))

    with pytest.raises(OperationalError):
        db.run(always, attempts=2)
    assert len(calls) == 2

    def broken(session: object) -> str:
        calls.append(1)
        raise ValueError("a bug, not a connection")

    calls.clear()
    with pytest.raises(ValueError):
        db.run(broken)
    assert len(calls) == 1


class Count:
    def __init__(self) -> None:
        self.n = 0

    def share(self) -> Count:
        return Count()

    def add(self, share: Count) -> None:
        self.n += share.n


def test_what_a_unit_of_work_counts_is_counted_once_it_has_committed(db: Database) -> None:
    """The sweep's and the digests' reports: a try whose connection failed counted for nothing."""
    report, tries = Count(), []

    def work(session: object, share: Count) -> str:
        tries.append(1)
        share.n += 2
        if len(tries) < 2:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return "done"

    assert db.run_counted(work, report, what="count") == "done"
    assert (len(tries), report.n) == (2, 2)
