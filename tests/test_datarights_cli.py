"""``infoint export`` and ``infoint forget``, run as an admin runs them: separate processes on the test
database (SQLite, or PostgreSQL with INFOINT_TEST_DATABASE_URL), with no terminal to ask at."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from datarights_world import OTHER_TEAM, TEAM, seed_cohort, seed_person, snapshot
from helpers import RunningApp, clean_env
from sqlalchemy import update

from storage.models import Cohort

CLI = [sys.executable, "-m", "bot.cli"]
NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)
STUDENT, MENTOR = "U0ONE", "U0TWO"


def infoint(
    app: RunningApp, tmp_path: Path, *args: str, answer: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``infoint``: with no terminal (``answer`` None), or at a terminal where ``answer`` is typed."""
    terminal = os.openpty() if answer is not None else None
    try:
        if terminal is not None:
            os.write(terminal[0], answer.encode() + b"\n")  # type: ignore[union-attr]
        result = subprocess.run(
            [*CLI, *args],
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=app.services.db.url),
            stdin=terminal[1] if terminal is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        for fd in terminal or ():
            os.close(fd)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def seeded(running_app: RunningApp) -> RunningApp:
    with running_app.services.db.session() as session:
        for team in (TEAM, OTHER_TEAM):
            student = seed_person(session, team, STUDENT, f"student-{team}", NOW)
            mentor = seed_person(session, team, MENTOR, f"mentor-{team}", NOW)
            seed_cohort(session, team, "C0ONE", [mentor], [student], NOW)
    return running_app


def test_export_writes_the_same_zip(seeded: RunningApp, tmp_path: Path) -> None:
    result = infoint(seeded, tmp_path, "export", "--team", TEAM, "--user", STUDENT, "--out", "copy.zip")
    assert result.returncode == 0, result.stderr
    assert "wrote copy.zip" in result.stdout and "3 contacts" in result.stdout
    archive = zipfile.ZipFile(tmp_path / "copy.zip")
    contacts = list(csv.DictReader(io.StringIO(archive.read("contacts.csv").decode("utf-8"))))
    assert sorted(c["name"] for c in contacts) == [
        f"'=HYPERLINK(student-{TEAM})",
        f"Ref student-{TEAM}",
        f"Zoë student-{TEAM}",
    ]
    assert "README.txt" in archive.namelist()


def test_forget_a_user_refuses_without_yes_when_nobody_can_answer(seeded: RunningApp, tmp_path: Path) -> None:
    before = snapshot(seeded)
    result = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", STUDENT)
    assert result.returncode == 2 and "add --yes" in result.stderr, result.stderr
    assert "3 contacts" in result.stdout  # it said what it would have deleted
    assert snapshot(seeded) == before


def test_forget_a_user_with_yes(seeded: RunningApp, tmp_path: Path) -> None:
    before = snapshot(seeded)
    result = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", STUDENT, "--yes")
    assert result.returncode == 0, result.stderr
    assert f"deleted 17 rows of {STUDENT} in {TEAM}" in result.stdout, result.stdout
    after = snapshot(seeded)
    assert sum(map(len, before.values())) - sum(map(len, after.values())) == 17
    again = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", STUDENT, "--yes")
    assert again.returncode == 0 and "nothing to delete" in again.stdout


def test_forget_a_user_asks_at_a_terminal(seeded: RunningApp, tmp_path: Path) -> None:
    before = snapshot(seeded)
    kept = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", STUDENT, answer="no")
    assert kept.returncode == 1 and "nothing deleted" in kept.stdout, kept.stdout
    assert snapshot(seeded) == before
    done = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", STUDENT, answer="yes")
    assert done.returncode == 0 and "deleted 17 rows" in done.stdout, done.stdout


def test_forget_the_only_mentor_says_the_cohort_closes(seeded: RunningApp, tmp_path: Path) -> None:
    with seeded.services.db.session() as session:  # a name with a terminal escape in it
        session.execute(update(Cohort).where(Cohort.team_id == TEAM).values(name="Spring\x1b[2J cohort"))
    result = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--user", MENTOR, "--yes")
    assert result.returncode == 0, result.stderr
    assert "closed the cohort 'Spring?[2J cohort' (they were its only mentor)" in result.stdout
    assert "\x1b" not in result.stdout


def test_forget_a_workspace(seeded: RunningApp, tmp_path: Path) -> None:
    before = snapshot(seeded)
    refused = infoint(seeded, tmp_path, "forget", "--team", TEAM)
    assert refused.returncode == 2 and "add --yes" in refused.stderr
    assert snapshot(seeded) == before
    result = infoint(seeded, tmp_path, "forget", "--team", TEAM, "--yes")
    assert result.returncode == 0, result.stderr
    assert f"rows of the workspace {TEAM}:" in result.stdout and "contacts: 6" in result.stdout
    after = snapshot(seeded)
    for name, rows in before.items():
        assert after[name] == {k: r for k, r in rows.items() if r["team_id"] != TEAM}, name


@pytest.mark.parametrize("team", ["t0001", "T0001;DROP", "", "T" * 40])
def test_a_malformed_id_is_refused(seeded: RunningApp, tmp_path: Path, team: str) -> None:
    result = infoint(seeded, tmp_path, "forget", "--team", team, "--yes")
    assert result.returncode == 2 and "Slack id" in result.stderr
