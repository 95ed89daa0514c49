"""Drafts of the messages the method asks the student to send, filled from the records. Pure.

The text is plain (not mrkdwn): it goes into an editable text box, and is escaped if ever shown
in a message. Long values are shortened so a draft always fits Slack's 3000-character text box.
A slot is filled only where the grammar holds (:mod:`bot.domain.phrasing`); an empty field leaves a
visible placeholder (``[what you learned]``) rather than a half-sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.phrasing import first_name, full_name, phrase, quoted, salutation, short, trimmed

__all__ = [
    "MAX_DRAFT",
    "PLACEHOLDERS",
    "Draft",
    "DraftFacts",
    "first_name",
    "salutation",
]

MAX_DRAFT = 3000

# What a draft shows where a field is empty, by field.
PLACEHOLDERS: dict[str, str] = {
    "student_name": "[your name]",
    "introducer": "[introducer]",
    "contact_name": "[their name]",
    "takeaway": "[what you learned]",
    "slots": "[a time you could offer]",
}


@dataclass(frozen=True)
class DraftFacts:
    contact_name: str
    company: str = ""
    role: str = ""
    learning_goal: str = ""
    introducer: str = ""
    takeaway: str = ""
    action_item: str = ""
    student_name: str = ""
    advice: str = ""
    """What the contact advised (quoted in thank-yous and updates; the student's own action items
    are not)."""


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


def _sign(facts: DraftFacts) -> str:
    return full_name(facts.student_name, 80) or PLACEHOLDERS["student_name"]


def _who(facts: DraftFacts) -> str:
    return full_name(facts.contact_name) or PLACEHOLDERS["contact_name"]


def _introducer(facts: DraftFacts) -> str:
    return full_name(facts.introducer, 80) or PLACEHOLDERS["introducer"]


def _greet_introducer(facts: DraftFacts) -> str:
    if not full_name(facts.introducer):
        return f"Hi {PLACEHOLDERS['introducer']},"
    return salutation(facts.introducer)


def _where(facts: DraftFacts) -> str:
    company = trimmed(facts.company, 80)
    return f" at {company}" if company else ""


def _about(facts: DraftFacts) -> str:
    goal = phrase(facts.learning_goal, 200)
    if goal:
        return goal
    role, company = trimmed(facts.role, 80), trimmed(facts.company, 80)
    if role and company:
        return f"your work as {role} at {company}"
    if company:
        return f"your work at {company}"
    return "your field and how you got into it"


def _slots(slots: Sequence[str]) -> str:
    shown = [f"- {s}" for s in (trimmed(s, 60) for s in slots[:3]) if s]
    return "\n".join(shown or [f"- {PLACEHOLDERS['slots']}"])


def _fit(draft: Draft) -> Draft:
    return Draft(short(draft.subject, 150), draft.body[:MAX_DRAFT])


# Follow-ups ---------------------------------------------------------------------------------------


def follow_up(facts: DraftFacts) -> Draft:
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        "I'm writing again in case my earlier note got buried. I'd value 15 to 20 minutes of your time, "
        f"at your convenience, to learn about {_about(facts)}. I'm not asking about jobs, only for your "
        "perspective.\n\n"
        "A short call, a video chat or a coffee would all suit me; tell me what's easiest for you.\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Following up: 15 minutes to learn about {_about(facts)}", body))


def voicemail(facts: DraftFacts) -> Draft:
    introducer = full_name(facts.introducer, 80)
    body = (
        f"{salutation(facts.contact_name, greeting='Hello', formal='Hello')} this is {_sign(facts)}. "
        + (f"Our mutual contact {introducer} suggested I get in touch. " if introducer else "")
        + f"I'm calling to ask for 15 minutes of your time to learn about {_about(facts)}. "
        "My number is [your number]; again, [your number]. Thank you, and have a good day.\n\n"
        "(Say it slowly, and repeat the number.)"
    )
    return _fit(Draft("Phone call and voicemail script", body))


def introduction_follow_up(facts: DraftFacts) -> Draft:
    """A nudge to the mutual connection who hasn't answered a request for an introduction."""
    who = _who(facts)
    body = (
        f"{_greet_introducer(facts)}\n\n"
        f"I'm following up on my note about {who}{_where(facts)}, in case it got buried. I'd still be "
        "grateful for an introduction, or for you to forward a short note from me; I'd only ask them "
        "for 15 to 20 minutes of their perspective, not for a job.\n\n"
        "If now isn't a good moment, no problem at all: just let me know.\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Following up: an introduction to {who}", body))


# Booking a time -----------------------------------------------------------------------------------


def propose_times(facts: DraftFacts, slots: Sequence[str]) -> Draft:
    """The answer to a "yes": three times to choose from, and room for theirs."""
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        "Thank you for agreeing to talk with me. Would one of these times suit you?\n\n"
        f"{_slots(slots)}\n\n"
        "If none of them works, tell me what's easiest for you and I'll fit around it. A call, a video "
        "chat or a coffee would all suit me.\n\n"
        f"Thanks again,\n{_sign(facts)}"
    )
    return _fit(Draft("A time for our conversation", body))


def sorry_we_missed(facts: DraftFacts, slots: Sequence[str]) -> Draft:
    """After an interview that didn't happen: short, no blame, a few new times."""
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        "I'm sorry we missed each other. I'd still very much like to hear about "
        f"{_about(facts)}. Would one of these times work instead?\n\n"
        f"{_slots(slots)}\n\n"
        "If another time is easier, just say and I'll make it work.\n\n"
        f"Best,\n{_sign(facts)}"
    )
    return _fit(Draft("Sorry we missed each other", body))


# After the interview ------------------------------------------------------------------------------


def thank_you(facts: DraftFacts) -> Draft:
    learned = phrase(facts.takeaway, 300) or PLACEHOLDERS["takeaway"]
    advice = quoted(facts.advice, 300)
    acting = f" Your advice, {advice}, is the first thing I'm acting on." if advice else ""
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        "Thank you for taking the time to talk with me. "
        f"One thing you said stays with me: {learned}.{acting}\n\n"
        "I'll keep you posted on how things go.\n\n"
        f"With thanks,\n{_sign(facts)}"
    )
    return _fit(Draft("Thank you for your time", body))


def thank_introducer(facts: DraftFacts) -> Draft:
    takeaway = phrase(facts.takeaway, 300)
    learned = f" I learned a lot, not least this: {takeaway}." if takeaway else ""
    who = _who(facts)
    body = (
        f"{_greet_introducer(facts)}\n\n"
        f"Thanks again for putting me in touch with {who}. We talked, and it was very helpful.{learned}\n\n"
        "I really appreciate you making the connection.\n\n"
        f"Best,\n{_sign(facts)}"
    )
    return _fit(Draft(f"I met {who}: thank you", body))


def keep_in_touch(facts: DraftFacts) -> Draft:
    advice = quoted(facts.advice, 300)
    following = f" I've been following your advice, {advice}." if advice else ""
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        "I hope all is well. I wanted to give you a quick update since we spoke."
        f"{following} [Say what you have done, learned or decided since.]\n\n"
        "Thanks again for your help; it made a difference.\n\n"
        f"Best,\n{_sign(facts)}"
    )
    return _fit(Draft("A quick update", body))


# Requests -----------------------------------------------------------------------------------------


def _intro_line(facts: DraftFacts) -> str:
    role, company = trimmed(facts.role, 80), trimmed(facts.company, 80)
    if role and company:
        return f"I noticed your work as {role} at {company}"
    if company:
        return f"I noticed your work at {company}"
    return "I came across your work"


def _ask(facts: DraftFacts) -> str:
    return (
        f"I'm exploring {_about(facts)} and would value 15 to 20 minutes of your perspective, at a time "
        "that suits you: a call, a video chat or a coffee. I'm not asking about jobs; I'd like to learn "
        "how you see the field and how you got where you are."
    )


def request_first(facts: DraftFacts) -> Draft:
    """A request to someone the student knows directly (1st degree)."""
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        f"I hope you're well. {_ask(facts)}\n\n"
        "Would you have time in the next couple of weeks? I'm happy to fit around your schedule.\n\n"
        f"Thanks so much,\n{_sign(facts)}"
    )
    return _fit(Draft("Could I ask you about your work?", body))


def request_via_introducer(facts: DraftFacts) -> Draft:
    """A direct request that mentions the mutual connection (2nd degree)."""
    introducer = _introducer(facts)
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        f"Our mutual contact {introducer} suggested I get in touch with you. {_ask(facts)}\n\n"
        "Would you have 15 to 20 minutes in the coming weeks?\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"{introducer} suggested I contact you", body))


def request_after_introduction(facts: DraftFacts) -> Draft:
    """The direct request once the mutual connection has introduced them (2nd degree)."""
    introducer = _introducer(facts)
    body = (
        f"{salutation(facts.contact_name)}\n\n"
        f"Thank you, and thanks to {introducer} for connecting us. {_ask(facts)}\n\n"
        "Would you have 15 to 20 minutes in the coming weeks?\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Introduced by {introducer}: 15 minutes of your time?", body))


def request_cold(facts: DraftFacts) -> Draft:
    """A request to someone with no connection: short, specific, easy to say yes to."""
    body = (
        f"{salutation(facts.contact_name, greeting='Hello')}\n\n"
        f"{_intro_line(facts)}. {_ask(facts)}\n\n"
        "If you're too busy, I understand completely; if someone on your team would be better placed, "
        "I'd be grateful for a pointer.\n\n"
        f"With thanks,\n{_sign(facts)}"
    )
    return _fit(Draft("A short question about your work", body))


def introduction_ask(facts: DraftFacts) -> Draft:
    """Asking the mutual connection to introduce the student or forward the request."""
    who = _who(facts)
    body = (
        f"{_greet_introducer(facts)}\n\n"
        f"I'm exploring {_about(facts)}, and I think {who}{_where(facts)} would be a great person to learn "
        "from. Would you be comfortable introducing us, or forwarding a short note from me? I'd only ask "
        "them for 15 to 20 minutes of their perspective, not for a job.\n\n"
        "I can send you a few lines about myself to pass on if that helps.\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Could you introduce me to {who}?", body))
