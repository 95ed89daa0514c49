"""The ids Slack sends back: every button's or menu's ``action_id`` and every modal's ``callback_id``.

Block Kit puts them on what it builds and the handlers listen for them, so both import them from here.
"""

from __future__ import annotations

from enum import StrEnum

#: The largest record id: every id column (and a contact's version) is an INTEGER, 32 bits signed on
#: PostgreSQL (SQLite's is wider), so an id past it is forged and must never reach a query.
MAX_RECORD_ID = 2**31 - 1


class ActionId(StrEnum):
    """What a button or menu does (its value says which contact, reminder or interview)."""

    # A contact's DM and search results
    REQUEST_SENT = "request_sent"
    CONTACT_REPLY = "contact_reply"
    CONTACT_DRAFT = "contact_draft"
    CONTACT_OUTCOME = "contact_outcome"
    SCHEDULE_INTERVIEW = "schedule_interview"
    # A 2nd-degree contact: whom the first request went to, and the introduction made
    REQUEST_VIA_INTRODUCER = "request_via_introducer"
    REQUEST_DIRECT = "request_direct"
    CONTACT_INTRODUCED = "contact_introduced"
    # A contact's attempts are used up: close it as no response
    CONTACT_MOVE_ON = "contact_move_on"
    # A contact's ⋯ menu: snooze its reminder, schedule, edit, remove
    CONTACT_MORE = "contact_more"
    # The list's pages
    LIST_PAGE = "list_page"
    LIST_PAGE_BACK = "list_page_back"
    # The App Home (and help's buttons)
    OPEN_LOG_MODAL = "open_log_modal"
    OPEN_PIPELINE = "open_pipeline"
    OPEN_SETTINGS = "open_settings"
    # The log form: reveal what applies, and the other details
    LOG_FORM_CHANGED = "log_form_changed"
    LOG_ADD_DETAILS = "log_add_details"
    # The Monday plan
    PLAN_PICK_TARGETS = "plan_pick_targets"
    PLAN_SKIP_WEEK = "plan_skip_week"
    PLAN_PAUSE = "plan_pause"
    PLAN_RESUME = "plan_resume"
    # A link button to the mail app (answered, nothing to do)
    OPEN_MAILTO = "open_mailto"
    # A reminder in a nudge DM
    NUDGE_DONE = "nudge_done"
    NUDGE_SNOOZE = "nudge_snooze"
    NUDGE_MOVE_ON = "nudge_move_on"
    NUDGE_REPLY = "nudge_reply"
    NUDGE_MISSED = "nudge_missed"
    NUDGE_DRAFT = "nudge_draft"
    NUDGE_NOTES = "nudge_notes"
    NUDGE_RESCHEDULE = "nudge_reschedule"
    NUDGE_REFERRALS = "nudge_referrals"
    NUDGE_SCHEDULE = "nudge_schedule"
    NUDGE_INTRODUCED = "nudge_introduced"
    # An interview's DM (and a "prepare" reminder)
    PREPARE_QUESTIONS = "prepare_questions"
    INTERVIEW_RESCHEDULE = "interview_reschedule"
    INTERVIEW_CANCEL = "interview_cancel"
    # Cohorts: the announcement, the report's pages, a student's own row, the mentor's DM
    COHORT_JOIN = "cohort_join"
    COHORT_PREVIOUS = "cohort_previous"
    COHORT_NEXT = "cohort_next"
    COHORT_CSV = "cohort_csv"
    COHORT_OPEN_REPORT = "cohort_open_report"
    COHORT_STUDENT = "cohort_student"
    COHORT_NOTE = "cohort_note"
    COHORT_NUDGE = "cohort_nudge"
    COHORT_NUDGE_AGAIN = "cohort_nudge_again"
    COHORT_STATE = "cohort_state"
    COHORT_PLACED = "cohort_placed"
    COHORT_SHARING = "cohort_sharing"
    COHORT_WHO_LOOKED = "cohort_who_looked"


class Surface(StrEnum):
    """Where a contact's actions are drawn: its actions block's ``block_id`` is ``"<surface>:<contact id>"``
    (then what the surface needs to be drawn again), so a click is answered where it was made."""

    CARD = "contact"  # a message about one contact
    HOME = "home"  # a row of the App Home
    LIST = "list"  # a row of the list: "list:<contact id>:<page>"
    FOUND = "found_actions"  # a search result
    PLAN = "plan"  # a line of the Monday plan
    CARDS = "cards"  # the compact cards after Add referrals: "cards:<contact id>:<every id, comma-separated>"


def surface_block(surface: Surface, contact_id: int, *rest: object) -> str:
    """The block_id of a contact's actions on a surface."""
    return ":".join([surface.value, str(contact_id), *map(str, rest)])[:255]


class ViewId(StrEnum):
    """Which modal was submitted."""

    LOG_CONTACT = "log_contact"
    SETTINGS = "settings"
    GOAL = "goal"
    # Booking from a contact's DM or search result, and from /infoint schedule (with a contact picker)
    SCHEDULE_INTERVIEW = "schedule_interview"
    SCHEDULE_PICK = "schedule_pick"
    # Moving an interview from its DM, and from a wrap-up reminder ("Rescheduled")
    RESCHEDULE_INTERVIEW = "interview_reschedule"
    NUDGE_RESCHEDULE = "reschedule_interview"
    # Booking from a reminder (a "yes" not booked yet, an interview that didn't happen)
    NUDGE_SCHEDULE = "nudge_schedule_interview"
    CONTACT_DRAFT = "contact_draft"
    NUDGE_DRAFT = "nudge_draft"
    NOTES = "interview_notes"
    REFERRALS = "add_referrals"
    PREPARE_QUESTIONS = "prepare_questions"
    EDIT_CONTACT = "edit_contact"
    REMOVE_CONTACT = "remove_contact"
    PLAN_TARGETS = "plan_targets"
    # Cohorts
    COHORT_JOIN = "cohort_join"
    COHORT_MENTOR = "cohort_mentor"
    COHORT_PLACED = "cohort_placed"
    COHORT_NOTE = "cohort_note"
    COHORT_SETTINGS = "cohort_settings"
    COHORT_SHARING = "cohort_sharing"
    # A student's data: forgetting them (after the confirmation)
    FORGET_ME = "forget_me"
