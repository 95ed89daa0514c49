"""Whose is it: the one check that a contact, an interview or a reminder belongs to the user who acted.

Every service acting on a record asks here first. A record of another user or another workspace, or
one that is gone, is refused in the user's words, the same whichever action asked.
"""

from __future__ import annotations

from bot.queries.contacts import own_contact
from bot.queries.interviews import own_interview
from bot.services.errors import ActionRefused
from storage.models import Contact, Interview, Nudge, User
from storage.repository import Repository

NOT_YOUR_CONTACT = "That contact isn't in your list: it may have been removed, or it isn't yours."
NOT_YOUR_INTERVIEW = "That interview isn't in your records: it may have been removed, or it isn't yours."
NOT_YOUR_NUDGE = "That reminder isn't yours, so I left it alone."
# The user's own reminder, about a contact or an interview no longer in their records.
CONTACT_GONE = "That contact isn't in your list any more."
INTERVIEW_GONE = "That interview isn't in your records any more."


def owned_contact(repo: Repository, slack_user: str, contact_id: int) -> Contact:
    """The user's contact (with its attempts and interviews); refused for anyone else's."""
    found = own_contact(repo, slack_user, contact_id)
    if found is None:
        raise ActionRefused(NOT_YOUR_CONTACT)
    return found[1]


def owned_interview(repo: Repository, slack_user: str, interview_id: int) -> tuple[Interview, Contact]:
    """The user's interview and its contact; refused for anyone else's."""
    found = own_interview(repo.session, repo.team_id, slack_user, interview_id)
    if found is None:
        raise ActionRefused(NOT_YOUR_INTERVIEW)
    return found


def owned_nudge(repo: Repository, slack_user: str, nudge_id: int) -> tuple[User, Nudge]:
    """The user and their reminder; refused for anyone else's."""
    user = repo.find_user(slack_user)
    nudge = repo.session.get(Nudge, nudge_id)
    if user is None or nudge is None or nudge.team_id != repo.team_id or nudge.user_id != user.id:
        raise ActionRefused(NOT_YOUR_NUDGE)
    return user, nudge


def nudge_contact(repo: Repository, user: User, nudge: Nudge) -> Contact:
    """The contact the user's reminder is about, while it is still theirs."""
    contact = repo.contact_of(user, nudge.contact_id) if nudge.contact_id else None
    if contact is None:
        raise ActionRefused(CONTACT_GONE)
    return contact


def nudge_interview(repo: Repository, nudge: Nudge) -> Interview:
    """The interview the user's reminder is about, while it is still in their workspace's records."""
    interview = repo.session.get(Interview, nudge.interview_id) if nudge.interview_id else None
    if interview is None or interview.team_id != nudge.team_id:
        raise ActionRefused(INTERVIEW_GONE)
    return interview
