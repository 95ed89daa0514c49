"""The example journey of `infoint demo --seed`: a few contacts at different stages, made the way a
student makes them (``/infoint log``, the modal, buttons), on the demo's clock moved back in time,
then brought to now with the production sweep. The first screen is then a real history, not a mock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.clock import working_day
from bot.demo.people import SECOND_STUDENT, STUDENT, DemoUser
from bot.demo.player import Player
from bot.demo.runtime import Demo
from bot.domain.ids import ActionId


def seed_journey(demo: Demo) -> None:
    """Alex's journey (four contacts) and Sam's first target; the clock ends where it started."""
    player = Player(demo)
    now, tz = demo.clock(), demo.tz
    start = working_day(now, tz, -9, 10)

    # Nine working days ago: a request to Maya, a 1st-degree contact, by email. No answer since.
    demo.clock.set(start)
    _log(
        player,
        STUDENT,
        name="Maya Chen",
        company="Northwind Health",
        role="Product designer",
        industry="Healthcare",
        degree="first",
        source="alumni",
        email="maya.chen@example.org",
        learning_goal="How designers work with clinicians, and what a junior designer does all day.",
        standing="request_sent",
        request_channel="email",
    )
    # Six days ago: Sofia (cold, found on LinkedIn) agreed to talk; the interview was yesterday.
    demo.clock.set(working_day(now, tz, -6, 11))
    interview = working_day(now, tz, -1, 14)
    _log(
        player,
        STUDENT,
        name="Sofia Alvarez",
        company="Fabrikam",
        role="UX researcher",
        industry="Consumer software",
        degree="cold",
        source="linkedin",
        learning_goal="How research findings change a product roadmap.",
        standing="interview_scheduled",
        interview_at=_local(interview, tz),
    )
    # Four days ago: Tom, introduced by a friend, said yes; the interview is booked from his card for
    # two working days from now (the confirmation DM brings its calendar file).
    demo.clock.set(working_day(now, tz, -4, 15))
    _log(
        player,
        STUDENT,
        name="Tom Okafor",
        company="Contoso",
        role="Data engineer",
        industry="Energy",
        degree="second",
        introducer="Priya Shah",
        source="referral",
        learning_goal="What a data engineer's first year looks like in the energy sector.",
        standing="target",
    )
    _click(player, STUDENT, "Tom Okafor", ActionId.SCHEDULE_INTERVIEW)
    _submit(
        player,
        STUDENT,
        starts_at=_local(working_day(now, tz, 2, 10), tz),
        duration="30",
        format="video",
        place="Video call (link from Tom)",
    )
    # Yesterday, after Sofia's interview: the sweep asks how it went.
    demo.clock.set(max(interview.replace(minute=45), demo.clock()))
    demo.sweep()
    demo.clock.set(max(working_day(now, tz, -1, 16), demo.clock()))
    _log(
        player,
        STUDENT,
        name="Lena Fischer",
        company="Tailspin Toys",
        role="Product manager",
        industry="Games",
        degree="first",
        source="former_colleague",
        standing="target",
    )
    _log(
        player,
        SECOND_STUDENT,
        name="Jamal Wright",
        company="Woodgrove Bank",
        role="Risk analyst",
        industry="Finance",
        degree="first",
        source="professor",
        standing="target",
    )
    # Now: whatever has come due (Maya's follow-up, in working hours) arrives.
    demo.clock.reset()
    demo.sweep()


def _log(player: Player, user: DemoUser, **fields: str) -> None:
    """``/infoint log``, fill the modal, Save: as the student would."""
    player.type(user.id, user.dm, "/infoint log")
    _submit(player, user, **fields)


def _submit(player: Player, user: DemoUser, **fields: str) -> None:
    """Fill the modal in front of ``user`` (block_id: value) and submit it; it must close."""
    modals = player.demo.slack.modal_stack(user.id)
    if not modals:
        raise RuntimeError("the example journey expected a modal")
    values: dict[str, Any] = dict(fields)
    outcome = player.submit(user.id, modals[-1]["id"], values)
    left = player.demo.slack.modal_stack(user.id)
    if not outcome.ok or left:
        problem = outcome.problem or (left[-1].get("errors") if left else "")
        raise RuntimeError(f"the example journey's {modals[-1].get('callback_id')} was refused: {problem}")


def _click(player: Player, user: DemoUser, about: str, action_id: str) -> None:
    """Click ``action_id`` on the latest message in ``user``'s DM that mentions ``about``."""
    for message in reversed(player.demo.slack.messages_in(user.dm)):
        if about not in str(message.get("text")):
            continue
        for b, block in enumerate(message.get("blocks") or []):
            for e, element in enumerate(block.get("elements") or []):
                if isinstance(element, dict) and element.get("action_id") == action_id:
                    where = {"surface": "message", "channel": user.dm, "ts": message["ts"], "block": b}
                    player.use(user.id, {**where, "element": e})
                    return
    raise RuntimeError(f"no {action_id} button about {about} in the DM")


def _local(when: datetime, tz: str) -> str:
    """A datetimepicker's value as the page sends it: the wall-clock time in the user's timezone."""
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M")
