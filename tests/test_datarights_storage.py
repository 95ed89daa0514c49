"""Forgetting covers every table: each column that points at a person has a rule in the user's plan,
each table carries its workspace, and a whole workspace is deleted without touching another."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from datarights_world import OTHER_TEAM, TEAM, seed_cohort, seed_person, snapshot
from helpers import RunningApp
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, inspect

from storage.db import Database
from storage.erasure import KIND_OF_TABLE, NO_WORKSPACE, USER_PLAN, Fate, UserErasure, forget_workspace
from storage.models import Base
from storage.repository import Repository

PERSON_TABLES = ("users", "contacts", "interviews")
NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)


def uncovered(metadata: MetaData) -> list[str]:
    """``table.column`` of every column that points at a person (a foreign key to their user row, one of
    their contacts or interviews, or a Slack user id kept as text: a name ending in ``slack_id`` or
    ``user_id``) with no rule in ``USER_PLAN``, and every table without a ``team_id`` (which
    forgetting a workspace could not delete: give it one, or say why in ``NO_WORKSPACE``)."""
    ruled = {(rule.table, rule.column) for rule in USER_PLAN}
    deleted_whole = {rule.table for rule in USER_PLAN if rule.column == "id" and rule.fate is Fate.DELETE}
    missing = []
    for table in metadata.sorted_tables:
        if "team_id" not in table.c and table.name not in NO_WORKSPACE:
            missing.append(f"{table.name}.team_id")
        if table.name in deleted_whole:
            continue
        for column in table.columns:
            points = any(key.column.table.name in PERSON_TABLES for key in column.foreign_keys)
            slack_id = not column.foreign_keys and column.name.endswith(("slack_id", "user_id"))
            if (points or slack_id) and (table.name, column.name) not in ruled:
                missing.append(f"{table.name}.{column.name}")
    return missing


def test_every_column_that_points_at_a_person_is_in_the_plan() -> None:
    assert uncovered(Base.metadata) == []


def test_the_coverage_check_sees_a_new_table() -> None:
    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True), Column("team_id", String))
    Table(
        "bookmarks",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner_id", ForeignKey("users.id")),
        Column("author_slack_id", String),
        Column("installer_user_id", String),
    )
    assert uncovered(metadata) == [
        "bookmarks.team_id",
        "bookmarks.owner_id",
        "bookmarks.author_slack_id",
        "bookmarks.installer_user_id",
    ]


def test_every_rule_names_a_real_column_and_every_deletion_is_counted() -> None:
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for rule in USER_PLAN:
        assert rule.column in tables[rule.table].c, rule
        if rule.fate is Fate.DELETE:
            assert rule.table in KIND_OF_TABLE, rule
        if rule.fate is not Fate.DELETE:
            assert rule.why, f"{rule}: say why the rows stay"


def test_the_preview_counts_what_forgetting_deletes(running_app: RunningApp) -> None:
    with running_app.services.db.session() as session:
        student = seed_person(session, TEAM, "U0ONE", "one", NOW)
        mentor = seed_person(session, TEAM, "U0TWO", "two", NOW)
        seed_cohort(session, TEAM, "C0ONE", [mentor], [student], NOW)
    with running_app.services.db.session() as session:
        user = Repository(session, TEAM).find_user("U0ONE")
        preview = UserErasure(session, TEAM).preview(user)
    with running_app.services.db.session() as session:
        user = Repository(session, TEAM).find_user("U0ONE")
        done = UserErasure(session, TEAM).forget(user, NOW)
    assert preview == done and preview.rows == 17


def test_forgetting_a_workspace_deletes_all_of_it_and_nothing_of_another(running_app: RunningApp) -> None:
    with running_app.services.db.session() as session:
        for team in (TEAM, OTHER_TEAM):
            one = seed_person(session, team, "U0ONE", f"one-{team}", NOW)
            two = seed_person(session, team, "U0TWO", f"two-{team}", NOW)
            seed_cohort(session, team, "C0ONE", [two], [one], NOW)
    before = snapshot(running_app)
    with running_app.services.db.session() as session:
        deleted = forget_workspace(session, TEAM)
    after = snapshot(running_app)
    for name, rows in before.items():
        theirs = {k: r for k, r in rows.items() if r["team_id"] == TEAM}
        others = {k: r for k, r in rows.items() if r["team_id"] != TEAM}
        assert after[name] == others, name
        assert deleted.get(name, 0) == len(theirs), name
    assert deleted["workspaces"] == 1 and deleted["contacts"] == 6


def test_migration_0005_adds_and_removes_its_indexes(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        db.upgrade()
        names = {"ix_contacts_owner_id", "ix_notes_interview_id", "ix_nudges_interview_id"}
        assert names <= _indexes(db)
        command.downgrade(db.alembic_config(), "0004")
        assert not names & _indexes(db)
        db.upgrade()
        assert names <= _indexes(db)
    finally:
        db.dispose()


def _indexes(db: Database) -> set[str]:
    found = inspect(db.engine)
    return {i["name"] for t in ("contacts", "notes", "nudges") for i in found.get_indexes(t) if i["name"]}
