"""A long simulated journey (issue 9, points 4 and 5): nine weeks, four contacts, two referrals, two
interviews, the sweep every hour of the working window, and a student who deals with each reminder
when it comes and acts from the App Home, the list and the cards in between.

Every message the app sends (DMs, updates, ephemeral answers) has a notification text that is a
plain, specific sentence; confirmations of what the student did come in place, and new DMs only for
what is due. The DMs of each week are counted (printed with ``-s``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import PARIS, STUDENT, RunningApp, interview_form, paris, rows, texts
from student import Student, state_for

from bot.fakeslack import Call, FakeSlack, validate_message_blocks
from storage.models import Contact, Interview, Nudge

NAMES = ("Ada Lovelace", "Bo Chen", "Cy Diaz", "Di Evans", "Linus Park", "Barbara Ng", "Grace Hopper")
START = paris(2, 9)  # Monday 2 March 2026, 09:00 in Paris
WEEKS = 9
TEXTS = False  # True: print every notification text of the journey (with -s)


def working_hours(start: datetime, weeks: int) -> list[datetime]:
    """Every hour of the default working window (Monday to Friday, 09:00 to 17:00) for ``weeks``."""
    tz = ZoneInfo(PARIS)
    local = start.astimezone(tz)
    hours = []
    for day in range(weeks * 7):
        date = (local + timedelta(days=day)).date()
        if date.weekday() < 5:
            hours += [
                datetime(date.year, date.month, date.day, h, tzinfo=tz).astimezone(start.tzinfo)
                for h in range(9, 18)
            ]
    return hours


class Journey:
    def __init__(self, student: Student, app: RunningApp, slack: FakeSlack) -> None:
        self.you, self.app, self.slack = student, app, slack
        self.dms: Counter[int] = Counter()  # week number -> DMs posted to the student
        self.reminder_dms: Counter[int] = Counter()
        self.files: Counter[int] = Counter()
        self.seen = 0
        self.seen_files = 0
        self.referred = False

    def week(self, when: datetime) -> int:
        return (when - START).days // 7 + 1

    def count(self, when: datetime) -> None:
        """Attribute the DMs posted since the last count to the week of ``when``."""
        posts = [c for c in self.slack.calls_to("chat.postMessage") if c.response and c.response.get("ok")]
        for post in posts[self.seen :]:
            assert post.args["channel"] == STUDENT
            self.dms[self.week(when)] += 1
            if (post.args.get("metadata") or {}).get("event_type") == "infoint_nudges":
                self.reminder_dms[self.week(when)] += 1
        self.seen = len(posts)
        files = len(self.slack.calls_to("files.completeUploadExternal"))
        self.files[self.week(when)] += files - self.seen_files
        self.seen_files = files

    def contact(self, name: str) -> int:
        return next(c.id for c in rows(self.app, Contact) if c.name == name)

    # What the student does -------------------------------------------------------------------------

    def on_home(self, name: str, action_id: str, choice: str | None = None) -> None:
        home = self.you.open_home()
        self.you.click({}, f"home:{self.contact(name)}", action_id, choice, view=home)

    def book_from_home(self, name: str, when: datetime) -> None:
        home = self.you.open_home()
        before = self.you.modals_opened()
        self.you.click({}, f"home:{self.contact(name)}", "schedule_interview", view=home)
        form = self.you.opened(before)
        reply = self.app.sender.submit(
            "schedule_interview", interview_form(when, "30"), private_metadata=form["private_metadata"]
        )
        self.app.settle()
        assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body

    def on_list(self, name: str) -> None:
        listing = self.app.answer("list")
        listing |= {"channel": "D0STUDENT", "ts": "1.0"}
        self.you.click(listing, f"list:{self.contact(name)}", "request_sent", ephemeral=True)

    def on_cards(self, name: str) -> None:
        cards = next(c.args for c in reversed(self.you.answers()) if "Added 2 people" in texts(c.args))
        cards = {**cards, "channel": "D0STUDENT", "ts": "1.0"}
        self.you.click(cards, f"cards:{self.contact(name)}", "request_direct", ephemeral=True)

    def deal_with(self, dm: Call) -> None:
        """Each open reminder of a DM, as the student deals with it."""
        where = {**dm.args, **dm.response}
        for block in dm.args["blocks"]:
            if block["type"] != "actions" or not block["block_id"].startswith("nudge_actions:"):
                continue
            nudge_id = int(block["block_id"].split(":")[1])
            [nudge] = rows(self.app, Nudge, id=nudge_id)
            prefix = block["block_id"]
            if nudge.status != "sent":
                continue
            kind = nudge.kind
            if kind == "wrap_up":
                self.modal(
                    where, prefix, "nudge_notes", "interview_notes", {"takeaways": "Research ops is growing"}
                )
            elif kind == "referrals" and not self.referred:
                self.referred = True
                box = {"referrals": "Linus Park, Kernel Co, Maintainer\nBarbara Ng, MIT, Professor"}
                self.modal(where, prefix, "nudge_referrals", "add_referrals", box)
            elif kind == "move_on":
                self.you.click(where, prefix, "nudge_move_on")
            else:
                self.you.click(where, prefix, "nudge_done")

    def modal(
        self, where: dict[str, Any], prefix: str, action_id: str, callback_id: str, fields: dict[str, Any]
    ) -> None:
        before = self.you.modals_opened()
        self.you.click(where, prefix, action_id)
        view = self.you.opened(before)
        reply = self.app.sender.submit(
            callback_id, state_for(view, fields), private_metadata=view["private_metadata"]
        )
        self.app.settle()
        assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body


def notification_problems(text: object, names: tuple[str, ...] = NAMES) -> list[str]:
    """What is wrong with a message's notification text (nothing, for a plain specific sentence)."""
    if not isinstance(text, str) or not text.strip():
        return ["no text"]
    problems = []
    if "thing(s)" in text or "(s)" in text:
        problems.append("a (s) plural")
    if "<!date^" in text or re.search(r"<[@#!]", text):
        problems.append("a raw Slack token")
    if "*" in text or re.search(r"(^|\s)_\S", text) or "`" in text:
        problems.append("mrkdwn marks")
    if len(text) > 150 or "\n" in text:
        problems.append(f"not one short sentence ({len(text)} characters)")
    for name in names:
        if text.count(name) > 1:
            problems.append(f"{name} repeated")
    return problems


@pytest.mark.parametrize(
    "text",
    [
        "",
        "infoint: 3 thing(s) to do",
        "Interview <!date^1^{time}|x>",
        "Saved *Ada*",
        "x" * 151,
        "Ada Lovelace, Ada Lovelace",
    ],
)
def test_the_checker_sees_a_bad_notification(text: str) -> None:
    assert notification_problems(text)


def test_nine_weeks_of_messages_are_plain_and_dms_are_for_what_is_due(
    running_app: RunningApp, slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    you = Student(running_app, slack)
    trip = Journey(you, running_app, slack)
    # What the student does between reminders (they deal with each reminder when it comes).
    events: list[tuple[datetime, Callable[[], Any]]] = [
        (paris(2, 10), lambda: you.open_home()),
        (
            paris(2, 10, 5),
            lambda: you.log_from_home(name="Ada Lovelace", company="Acme", email="ada@example.org"),
        ),
        (
            paris(2, 10, 10),
            lambda: you.log_from_home(
                name="Bo Chen", company="Globex", degree="second", introducer="Grace Hopper"
            ),
        ),
        (paris(2, 10, 15), lambda: you.log_by_command(name="Cy Diaz", company="Initech", degree="cold")),
        (paris(2, 10, 20), lambda: you.log_by_command(name="Di Evans", company="Umbrella")),
        (paris(2, 10, 30), lambda: trip.on_home("Ada Lovelace", "request_sent")),
        (paris(2, 10, 35), lambda: trip.on_home("Bo Chen", "request_via_introducer")),
        (paris(3, 11), lambda: trip.on_list("Cy Diaz")),
        (paris(3, 11, 5), lambda: trip.on_list("Di Evans")),
        (paris(5, 15), lambda: trip.on_home("Ada Lovelace", "contact_reply", "yes")),
        (paris(5, 15, 5), lambda: trip.book_from_home("Ada Lovelace", paris(10, 14))),
        (paris(5, 15, 30), lambda: trip.on_home("Di Evans", "contact_reply", "later")),
        (paris(11, 12), lambda: trip.on_home("Bo Chen", "contact_reply", "yes")),
        (paris(11, 12, 5), lambda: trip.book_from_home("Bo Chen", paris(17, 11))),
        (paris(11, 12, 30), lambda: trip.on_cards("Linus Park")),
        (paris(11, 12, 35), lambda: trip.on_cards("Barbara Ng")),
        (paris(23, 10, 30), lambda: trip.on_home("Linus Park", "contact_reply", "no")),
    ]
    for hour in working_hours(START, WEEKS):
        while events and events[0][0] <= hour:
            when, act = events.pop(0)
            you.at(when)
            act()
            trip.count(when)
        for dm in you.sweep(hour):
            trip.count(hour)
            you.at(hour + timedelta(minutes=5))
            trip.deal_with(dm)
            trip.count(hour)
    assert not events

    # The journey happened: two interviews held and thanked, two referrals, Cy closed after three tries.
    stages = {c.name: c.stage for c in rows(running_app, Contact)}
    assert stages["Ada Lovelace"] == stages["Bo Chen"] == "interviewed"
    assert stages["Cy Diaz"] == "no_response" and stages["Linus Park"] == "declined"
    assert {c.name for c in rows(running_app, Contact) if c.source == "referral"} == {
        "Linus Park",
        "Barbara Ng",
    }
    assert all(i.status == "done" and i.thank_you_at for i in rows(running_app, Interview))
    kinds = Counter(n.kind for n in rows(running_app, Nudge) if n.status != "obsolete")
    # A plan every Monday but the first (the student had no contact yet at 09:00 that day).
    assert kinds["weekly_plan"] == WEEKS - 1 and kinds["keep_in_touch"] == 2 and kinds["move_on"] == 3

    # 4. Every notification text is a plain, specific sentence.
    sent = [
        c
        for c in slack.calls
        if c.method in ("chat.postMessage", "chat.update") or c.method.startswith("response_url:")
    ]
    assert len(sent) > 40
    bad = {}
    for call in sent:
        problems = notification_problems(call.args.get("text"))
        if problems:
            bad[call.args.get("text")] = problems
        if call.args.get("blocks") is not None:
            assert not validate_message_blocks(call.args["blocks"], call.args.get("text"))
    assert not bad, bad
    if TEXTS:
        with capsys.disabled():
            print("\n".join(f"{c.method}: {c.args.get('text')}" for c in sent))

    # 5. DMs per week: reminders and plans (batched), the two interview confirmations; no confirmation
    # of what the student did arrives as a DM.
    weeks = range(1, WEEKS + 1)
    other = {w: trip.dms[w] - trip.reminder_dms[w] for w in weeks}
    assert sum(other.values()) == 2  # the interviews' confirmations, with their calendar files
    assert sum(trip.files.values()) == 2
    assert all(trip.reminder_dms[w] >= 1 for w in weeks if w > 1)  # at least the Monday plan
    total = sum(trip.dms.values())
    with capsys.disabled():
        print(
            f"\nDMs per week over {WEEKS} weeks: "
            + ", ".join(f"w{w}: {trip.dms[w]}" for w in weeks)
            + f"; total {total}, {total / WEEKS:.1f} a week ({sum(trip.reminder_dms.values())} reminder DMs"
            f" incl. {kinds['weekly_plan']} Monday plans, {sum(other.values())} interview confirmations)"
        )
    assert max(trip.dms.values()) <= 8
    assert total / WEEKS <= 5
