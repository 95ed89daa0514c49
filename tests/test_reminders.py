"""A logged reminder's transitions (bot.domain.reminders): clicks, snoozes, Done. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reminders import (
    DONE_EFFECTS,
    ClickRefused,
    DoneEffect,
    NudgeKind,
    Reminder,
    ReminderStatus,
    Resolution,
    SnoozeChoice,
    check_clickable,
    done_effect,
    mark_obsolete,
    resolve,
    snooze,
    snooze_until,
)

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
statuses = st.sampled_from(list(ReminderStatus))
resolutions = st.one_of(st.none(), st.sampled_from(list(Resolution)))
kinds = st.sampled_from(list(NudgeKind))
choices = st.sampled_from(list(SnoozeChoice))
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
)


def sent(kind: NudgeKind = NudgeKind.FOLLOW_UP) -> Reminder:
    return Reminder(kind, ReminderStatus.SENT, NOW - timedelta(hours=1))


def test_every_kind_has_a_done_effect() -> None:
    assert set(DONE_EFFECTS) == set(NudgeKind)
    assert done_effect(NudgeKind.FOLLOW_UP) is DoneEffect.RECORD_ATTEMPT
    assert done_effect(NudgeKind.PHONE_CALL) is DoneEffect.RECORD_CALL
    assert done_effect(NudgeKind.THANK_YOU) is DoneEffect.THANKED
    assert done_effect(NudgeKind.THANK_INTRODUCER) is DoneEffect.INTRODUCER_THANKED
    assert done_effect(NudgeKind.KEEP_IN_TOUCH) is DoneEffect.TOUCHED


def test_snooze_choices_parse_and_read() -> None:
    assert SnoozeChoice.parse("3d") is SnoozeChoice.THREE_DAYS
    assert SnoozeChoice.parse("2d") is None and SnoozeChoice.parse("") is None
    assert [c.label for c in SnoozeChoice] == ["1 day", "3 days", "1 week"]


def test_a_snoozed_thank_you_never_comes_back_after_its_deadline() -> None:
    deadline = NOW + timedelta(hours=20)
    assert snooze_until(SnoozeChoice.ONE_WEEK, NOW, deadline) == deadline
    assert snooze_until(SnoozeChoice.ONE_DAY, NOW, NOW - timedelta(hours=1)) == NOW + timedelta(days=1)


def test_a_click_on_a_snoozed_or_closed_reminder_says_why() -> None:
    snoozed = snooze(sent(), SnoozeChoice.ONE_DAY, NOW)
    with pytest.raises(ClickRefused, match="snoozed"):
        check_clickable(snoozed)
    with pytest.raises(ClickRefused, match="already done"):
        resolve(resolve(sent(), Resolution.DONE, NOW), Resolution.DONE, NOW)
    with pytest.raises(ClickRefused, match="out of date"):
        check_clickable(mark_obsolete(sent(), NOW))


@given(
    kinds, statuses, resolutions, st.sampled_from([Resolution.DONE, Resolution.MOVED_ON, Resolution.NOTES])
)
def test_only_a_sent_reminder_can_be_resolved_and_then_it_is_closed(
    kind: NudgeKind, status: ReminderStatus, resolution: Resolution | None, how: Resolution
) -> None:
    reminder = Reminder(kind, status, NOW, resolution)
    if status is not ReminderStatus.SENT:
        with pytest.raises(ClickRefused):
            resolve(reminder, how, NOW)
        return
    done = resolve(reminder, how, NOW)
    assert done.status is ReminderStatus.RESOLVED and done.status.is_closed
    assert done.resolution is how and done.resolved_at == NOW and done.kind is kind
    with pytest.raises(ClickRefused):
        check_clickable(done)


@given(kinds, choices, instants, st.one_of(st.none(), instants))
def test_snoozing_a_sent_reminder_makes_it_pending_again_later_within_its_cap(
    kind: NudgeKind, choice: SnoozeChoice, now: datetime, latest: datetime | None
) -> None:
    back = snooze(Reminder(kind, ReminderStatus.SENT, now - timedelta(minutes=5)), choice, now, latest)
    assert back.status is ReminderStatus.PENDING and back.snoozed and not back.status.is_closed
    assert now < back.due_at <= now + choice.delay
    if latest is not None and latest > now:
        assert back.due_at <= latest


@given(kinds, statuses, resolutions, instants)
def test_marking_obsolete_always_closes(
    kind: NudgeKind, status: ReminderStatus, resolution: Resolution | None, now: datetime
) -> None:
    gone = mark_obsolete(Reminder(kind, status, now, resolution), now)
    assert gone.status is ReminderStatus.OBSOLETE and gone.status.is_closed
    assert gone.resolution is Resolution.OBSOLETE


def test_snooze_and_obsolete_are_not_resolutions_a_click_gives() -> None:
    with pytest.raises(ValueError):
        resolve(sent(), Resolution.SNOOZED, NOW)
