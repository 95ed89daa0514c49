"""Block Kit for the question bank: the ``/infoint questions`` answers, the "Prepare questions" modal and
the DM listing an interview's questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    CheckboxesElement,
    ContextBlock,
    HeaderBlock,
    Option,
    SectionBlock,
)

from bot.blocks.kit import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_OPTION_TEXT,
    as_dicts,
    button,
    clip,
    ephemeral,
    esc,
    fit_lines,
    form_input,
    md,
    modal,
    plain,
    plain_sentence,
    slack_date,
    text_input,
)
from bot.domain import questions as bank
from bot.domain.ids import ActionId, ViewId
from bot.domain.questions import MAX_QUESTION_LENGTH, MAX_QUESTIONS, OWN, Theme

OWN_BLOCK = "own_questions"
OWN_INPUT_MAX = 3000
SAMPLE_SIZE = 3


def theme_block_id(theme: Theme) -> str:
    return f"questions_{theme.key}"


_HOW_TO = (
    "To pick questions for an interview, press *Prepare questions* on its DM: "
    "up to 20, and you can add your own."
)


def overview_message() -> dict[str, Any]:
    """``/infoint questions``: every theme with a few of its questions."""
    blocks: list[Block] = [
        HeaderBlock(text=plain("Questions to prepare", MAX_HEADER_TEXT)),
        SectionBlock(
            text=md(
                "You lead an informational interview, so come with questions: a few general ones, and "
                "some tied to what you want to learn. Here are ideas by theme."
            )
        ),
    ]
    for theme in bank.THEMES:
        sample = [f"• {esc(q.text)}" for q in theme.questions[:SAMPLE_SIZE]]
        rest = len(theme.questions) - SAMPLE_SIZE
        more = f"\n_…and {rest} more: `/infoint questions {theme.key}`_" if rest > 0 else ""
        blocks.append(SectionBlock(text=md(f"*{esc(theme.label)}*\n" + "\n".join(sample) + more)))
    blocks.append(ContextBlock(elements=[md(_HOW_TO)]))
    return ephemeral("Questions to prepare, by theme", blocks[:MAX_MESSAGE_BLOCKS])


def theme_message(theme: Theme) -> dict[str, Any]:
    """``/infoint questions <theme>``: all of its questions."""
    lines = [f"{n}. {esc(q.text)}" for n, q in enumerate(theme.questions, start=1)]
    others = ", ".join(f"`{t.key}`" for t in bank.THEMES if t is not theme)
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"Questions: {theme.label}", MAX_HEADER_TEXT)),
        *fit_lines(lines, MAX_MESSAGE_BLOCKS - 2),
        ContextBlock(elements=[md(f"{_HOW_TO} Other themes: {others}.")]),
    ]
    return ephemeral(f"Questions: {theme.label}", blocks)


def unknown_theme_message(typed: str) -> dict[str, Any]:
    """An unknown theme: what was typed (escaped) and the themes there are."""
    shown = esc(clip(" ".join(typed.split()), 60)).replace("`", "'")
    lines = [f"• `{t.key}`: {esc(t.label)}" for t in bank.THEMES]
    intro = f"I don't have a theme called `{shown}`. Try one of these:"
    example = "For example `/infoint questions company`, or `/infoint questions` for all of them."
    blocks: list[Block] = [
        SectionBlock(text=md("\n".join([intro, *lines]))),
        ContextBlock(elements=[md(example)]),
    ]
    return ephemeral(f"No theme called {shown}. Themes: {', '.join(t.key for t in bank.THEMES)}", blocks)


# The modal ----------------------------------------------------------------------------------------------


def _option(question: bank.Question) -> Option:
    text = question.text
    if len(text) <= MAX_OPTION_TEXT:
        return Option(value=question.id, text=plain(text, MAX_OPTION_TEXT))
    # The bank keeps its questions short; a longer one shows its end as the description.
    return Option(
        value=question.id,
        text=plain(text, MAX_OPTION_TEXT),
        description=plain("…" + text[MAX_OPTION_TEXT - 1 :], MAX_OPTION_TEXT),
    )


def _own_initial(own: Sequence[str]) -> str:
    kept: list[str] = []
    for text in own:
        if len("\n".join([*kept, text])) > OWN_INPUT_MAX:
            break
        kept.append(text)
    return "\n".join(kept)


def prepare_modal(
    contact_name: str, starts_at: datetime | None, saved: Sequence[str], private_metadata: str
) -> dict[str, Any]:
    """One checkbox group per theme and a box for the student's own questions; what was saved before
    is checked or filled in."""
    chosen, own = bank.split_saved(saved)
    when = f" {slack_date(starts_at)}" if starts_at else ""
    blocks: list[Block] = [
        SectionBlock(
            text=md(
                f"Questions for your interview with *{esc(clip(contact_name, 100))}*{when}. "
                f"Pick the ones that fit what you want to learn, {MAX_QUESTIONS} at most in all."
            )
        )
    ]
    for theme in bank.THEMES:
        options = [_option(q) for q in theme.questions[:10]]
        initial = [o for o in options if o.value in chosen]
        blocks.append(
            form_input(
                theme_block_id(theme),
                theme.label,
                CheckboxesElement,
                optional=True,
                options=options,
                initial_options=initial or None,
            )
        )
    blocks.append(
        text_input(
            OWN_BLOCK,
            "Your own questions",
            placeholder="What would you ask only this person?",
            multiline=True,
            hint=f"One per line, up to {MAX_QUESTION_LENGTH} characters each. Questions about their "
            "company or your objective make the best impression.",
            max_length=OWN_INPUT_MAX,
            initial=_own_initial(own) or None,
        )
    )
    return modal(
        "Prepare questions",
        blocks,
        callback_id=ViewId.PREPARE_QUESTIONS,
        submit="Save questions",
        private_metadata=private_metadata,
    )


def submitted_choices(view: Mapping[str, Any]) -> tuple[list[str], str]:
    """The question ids checked in a submitted modal, and the text of its own-questions box."""
    state = (view.get("state") or {}).get("values") or {}
    chosen: list[str] = []
    own = ""
    if not isinstance(state, Mapping):
        return chosen, own
    keys = {theme_block_id(t) for t in bank.THEMES}
    for block_id, elements in state.items():
        if not isinstance(elements, Mapping):
            continue
        for element in elements.values():
            if not isinstance(element, Mapping):
                continue
            if block_id in keys:
                for option in element.get("selected_options") or []:
                    value = option.get("value") if isinstance(option, Mapping) else None
                    if isinstance(value, str):
                        chosen.append(value)
            elif block_id == OWN_BLOCK and isinstance(element.get("value"), str):
                own = element["value"]
    return chosen, own


def form_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """The core's errors (keyed by theme key or "own") keyed by the modal's block ids."""
    by_key = {t.key: theme_block_id(t) for t in bank.THEMES}
    by_key[OWN] = OWN_BLOCK
    return {by_key.get(key, OWN_BLOCK): clip(message, 300) for key, message in errors.items()}


# The DM -------------------------------------------------------------------------------------------------


def prepared_message(
    contact_name: str, starts_at: datetime | None, questions: Sequence[str], interview_id: int
) -> dict[str, Any]:
    """The DM after saving: the interview's questions, numbered, with a button to change them."""
    who = f"*{esc(clip(contact_name, 100))}*"
    when = f" {slack_date(starts_at)}" if starts_at else ""
    if questions:
        count = "1 question" if len(questions) == 1 else f"{len(questions)} questions"
        headline = f"📝 {count} ready for your interview with {who}{when}:"
    else:
        headline = f"📝 No questions prepared yet for your interview with {who}{when}."
    blocks: list[Block] = [SectionBlock(text=md(headline))]
    lines = [f"{n}. {clip(esc(q), 700)}" for n, q in enumerate(questions, start=1)]
    blocks += fit_lines(lines, MAX_MESSAGE_BLOCKS - 3, more="…and {n} more questions not shown.")
    blocks.append(
        ContextBlock(
            elements=[
                md(
                    "Listen more than you talk, follow up on what they say, and keep to the time you "
                    "agreed. Before you leave, ask who else you should talk to."
                )
            ]
        )
    )
    blocks.append(
        ActionsBlock(
            block_id=f"questions:{interview_id}",
            elements=[button("Change questions", ActionId.PREPARE_QUESTIONS, str(interview_id))],
        )
    )
    return {"text": plain_sentence(headline), "blocks": as_dicts(blocks)}


def prepared_modal(contact_name: str, starts_at: datetime | None, questions: Sequence[str]) -> dict[str, Any]:
    """What the form shows once the questions are saved (in place of a DM): the same list, numbered."""
    blocks = prepared_message(contact_name, starts_at, questions, 1)["blocks"][:-1]  # no button to itself
    blocks.append(
        as_dicts(
            [
                ContextBlock(
                    elements=[md("Your preparation reminder, the working day before, lists them too.")]
                )
            ]
        )[0]
    )
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Your questions"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": blocks,
    }
