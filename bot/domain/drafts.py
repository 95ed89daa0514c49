"""Drafts of the messages the method asks the student to send, filled from the records. Pure.

The text is plain (not mrkdwn): it goes into an editable text box, and is escaped if ever shown
in a message. Long values are shortened so a draft always fits Slack's 3000-character text box.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DRAFT = 3000


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


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def first_name(name: str) -> str:
    parts = name.split()
    return _short(parts[0], 40) if parts else "there"


def _sign(facts: DraftFacts) -> str:
    return _short(facts.student_name, 80) if facts.student_name.strip() else "[your name]"


def _about(facts: DraftFacts) -> str:
    if facts.learning_goal:
        return _short(facts.learning_goal, 200)
    if facts.role and facts.company:
        return f"your work as {_short(facts.role, 80)} at {_short(facts.company, 80)}"
    if facts.company:
        return f"your work at {_short(facts.company, 80)}"
    return "your field and how you got into it"


def _fit(draft: Draft) -> Draft:
    return Draft(_short(draft.subject, 150), draft.body[:MAX_DRAFT])


def follow_up(facts: DraftFacts) -> Draft:
    body = (
        f"Hi {first_name(facts.contact_name)},\n\n"
        "I'm writing again in case my earlier note got buried. I'd value 15 to 20 minutes of your time, "
        f"at your convenience, to learn about {_about(facts)}. I'm not asking about jobs, only for your "
        "perspective.\n\n"
        "A short call, a video chat or a coffee would all suit me; tell me what's easiest for you.\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Following up: 15 minutes to learn about {_about(facts)}", body))


def voicemail(facts: DraftFacts) -> Draft:
    body = (
        f"Hello {first_name(facts.contact_name)}, this is {_sign(facts)}. "
        + (f"{_short(facts.introducer, 80)} suggested I get in touch. " if facts.introducer else "")
        + f"I'm calling to ask for 15 minutes of your time to learn about {_about(facts)}. "
        "My number is [your number]; again, [your number]. Thank you, and have a good day.\n\n"
        "(Say it slowly, and repeat the number.)"
    )
    return _fit(Draft("Phone call and voicemail script", body))


def thank_you(facts: DraftFacts) -> Draft:
    specific = ""
    if facts.takeaway:
        specific = f"What you said about {_short(facts.takeaway, 300)} stayed with me. "
    if facts.action_item:
        specific += f"I've already started on your suggestion: {_short(facts.action_item, 300)}. "
    if not specific:
        specific = "[Mention one thing they said that helped you, and what you are doing about it.] "
    body = (
        f"Hi {first_name(facts.contact_name)},\n\n"
        "Thank you for taking the time to talk with me. "
        f"{specific}\n\n"
        "I'll keep you posted on how things go.\n\n"
        f"With thanks,\n{_sign(facts)}"
    )
    return _fit(Draft("Thank you for your time", body))


def thank_introducer(facts: DraftFacts) -> Draft:
    introducer = first_name(facts.introducer) if facts.introducer else "[introducer]"
    learned = f" I learned a lot, especially about {_short(facts.takeaway, 300)}." if facts.takeaway else ""
    body = (
        f"Hi {introducer},\n\n"
        f"Thanks again for putting me in touch with {_short(facts.contact_name, 100)}. We talked, and it "
        f"was very helpful.{learned}\n\n"
        "I really appreciate you making the connection.\n\n"
        f"Best,\n{_sign(facts)}"
    )
    return _fit(Draft(f"I met {_short(facts.contact_name, 100)}: thank you", body))


def keep_in_touch(facts: DraftFacts) -> Draft:
    advice = (
        f" I've been following your advice on {_short(facts.action_item, 300)}." if facts.action_item else ""
    )
    body = (
        f"Hi {first_name(facts.contact_name)},\n\n"
        "I hope all is well. I wanted to give you a quick update since we spoke."
        f"{advice} [Say what you have done, learned or decided since.]\n\n"
        "Thanks again for your help; it made a difference.\n\n"
        f"Best,\n{_sign(facts)}"
    )
    return _fit(Draft("A quick update", body))


def _intro_line(facts: DraftFacts) -> str:
    if facts.role and facts.company:
        return f"I noticed your work as {_short(facts.role, 80)} at {_short(facts.company, 80)}"
    if facts.company:
        return f"I noticed your work at {_short(facts.company, 80)}"
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
        f"Hi {first_name(facts.contact_name)},\n\n"
        f"I hope you're well. {_ask(facts)}\n\n"
        "Would you have time in the next couple of weeks? I'm happy to fit around your schedule.\n\n"
        f"Thanks so much,\n{_sign(facts)}"
    )
    return _fit(Draft("Could I ask you about your work?", body))


def request_via_introducer(facts: DraftFacts) -> Draft:
    """A direct request that mentions the mutual connection (2nd degree)."""
    introducer = _short(facts.introducer, 80) if facts.introducer else "[mutual contact]"
    body = (
        f"Hi {first_name(facts.contact_name)},\n\n"
        f"{introducer} suggested I get in touch with you. {_ask(facts)}\n\n"
        "Would you have 15 to 20 minutes in the coming weeks?\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"{introducer} suggested I contact you", body))


def request_cold(facts: DraftFacts) -> Draft:
    """A request to someone with no connection: short, specific, easy to say yes to."""
    body = (
        f"Hello {first_name(facts.contact_name)},\n\n"
        f"{_intro_line(facts)}. {_ask(facts)}\n\n"
        "If you're too busy, I understand completely; if someone on your team would be better placed, "
        "I'd be grateful for a pointer.\n\n"
        f"With thanks,\n{_sign(facts)}"
    )
    return _fit(Draft("A short question about your work", body))


def introduction_ask(facts: DraftFacts) -> Draft:
    """Asking the mutual connection to introduce the student or forward the request."""
    introducer = first_name(facts.introducer) if facts.introducer else "[introducer]"
    who = _short(facts.contact_name, 100)
    where = f" at {_short(facts.company, 80)}" if facts.company else ""
    body = (
        f"Hi {introducer},\n\n"
        f"I'm exploring {_about(facts)}, and I think {who}{where} would be a great person to learn from. "
        "Would you be comfortable introducing us, or forwarding a short note from me? I'd only ask them "
        "for 15 to 20 minutes of their perspective, not for a job.\n\n"
        "I can send you a few lines about myself to pass on if that helps.\n\n"
        f"Thank you,\n{_sign(facts)}"
    )
    return _fit(Draft(f"Could you introduce me to {who}?", body))
