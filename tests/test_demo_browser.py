"""The demo page in a real browser: headless Chromium (Debian's ``chromium`` package, which .ci/run
installs) driven by Playwright for Python; never a browser Playwright downloads. Without Chromium or
Playwright every test here is skipped, and says why.

The demo runs in this process on a free port, its clock starting on a Tuesday at 10:00 in Paris
(inside the default working window), and is reset before each test.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demopage import START, TZ, post_digest, request

from bot.demo.people import MENTOR, STUDENT
from bot.demo.serve import DemoServer

CHROMIUM = Path(os.environ.get("INFOINT_TEST_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.sync_api import BrowserContext, Locator, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip(
        "the demo page's browser tests need Playwright for Python: pip install -e '.[test]'",
        allow_module_level=True,
    )
if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    pytest.skip(
        f"no Chromium at {CHROMIUM}: the demo page's browser tests need Debian's chromium package "
        "(apt-get install chromium; .ci/run installs it when run as root)",
        allow_module_level=True,
    )

expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    with DemoServer(tmp_path_factory.mktemp("demo") / "demo.db", port=0, tz=TZ, start=START) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    with tempfile.TemporaryDirectory(prefix="infoint-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
            timezone_id=TZ,
        )
        yield context
        context.close()


@pytest.fixture
def demo(served: DemoServer) -> DemoServer:
    served.demo.reset()
    return served


class Pages:
    """Opens pages of the demo; each must finish without a script error."""

    def __init__(self, browser: BrowserContext, server: DemoServer) -> None:
        self.browser, self.server = browser, server
        self.opened: list[Page] = []
        self.problems: list[str] = []
        self.dialogs: list[str] = []

    def open(self, user: str | None = None) -> Page:
        page = self.browser.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None
        )
        page.on("dialog", self._dialog)
        page.goto(self.server.url)
        expect(page.get_by_label("Message infoint")).to_be_visible()
        expect(page.locator("#clock-now")).not_to_have_text("")  # the first state has arrived
        if user is not None:
            page.get_by_label("You are").select_option(user)
        self.opened.append(page)
        return page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        for page in self.opened:
            page.close()


@pytest.fixture
def pages(browser: BrowserContext, demo: DemoServer) -> Iterator[Pages]:
    opened = Pages(browser, demo)
    yield opened
    opened.close()
    assert opened.problems == [], opened.problems
    assert opened.dialogs == [], f"the page opened browser dialogs: {opened.dialogs}"


def command(page: Page, text: str) -> None:
    box = page.get_by_label(re.compile(r"^Message "))
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


DETAILS = ("Email (optional)", "What do you want to learn from them? (optional)", "Industry (optional)")


def log_contact(page: Page, name: str, **fields: str) -> None:
    command(page, "/infoint log")
    dialog = page.get_by_role("dialog", name="Log a contact")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Name", exact=True).fill(name)
    if any(label in DETAILS for label in fields):  # the form starts short
        dialog.get_by_role("button", name="Add details").click()
        expect(dialog.get_by_label(DETAILS[0])).to_be_visible()
    for label, value in fields.items():
        dialog.get_by_label(label, exact=True).fill(value)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()


def messages(page: Page) -> Locator:
    return page.locator("#timeline article")


def test_log_a_contact_then_a_week_later_follow_up_and_snooze(pages: Pages) -> None:
    page = pages.open()
    expect(page.get_by_text("Nothing here yet")).to_be_visible()
    log_contact(page, "Maya Chen", **{"Company (optional)": "Northwind Health"})
    card = messages(page).first
    expect(card).to_contain_text("Saved Maya Chen to your list")
    expect(card.get_by_role("button", name="Schedule interview")).to_be_visible()
    card.get_by_role("button", name="Request sent").click()
    expect(card).to_contain_text("Request recorded")
    expect(card).to_contain_text("Only visible to you")  # the answer to /infoint log, updated in place

    page.get_by_role("button", name="+1 week").click()
    expect(page.get_by_role("status")).to_contain_text("It is now Tuesday 10 March")
    expect(page.get_by_role("status")).to_contain_text("sent 1 DM")
    nudge = messages(page).last
    expect(nudge).to_contain_text("No reply from Maya Chen (Northwind Health) yet")
    nudge.get_by_role("button", name=re.compile(r"^More options: Snooze")).click()
    nudge.get_by_role("menuitem", name="Snooze 1 day").click()
    expect(nudge).to_contain_text("Snoozed: I'll bring it back on Wed 11 Mar at 10:00")


def test_a_wrong_field_shows_the_apps_inline_error_and_keeps_what_was_typed(pages: Pages) -> None:
    page = pages.open()
    command(page, "/infoint log")
    dialog = page.get_by_role("dialog", name="Log a contact")
    dialog.get_by_role("button", name="Save").click()  # the client itself asks for the required name
    expect(dialog.get_by_text("Please complete this required field.")).to_be_visible()
    dialog.get_by_label("Name", exact=True).fill("Maya Chen")
    dialog.get_by_role("button", name="Add details").click()  # the form starts short
    email = dialog.get_by_label("Email (optional)")
    email.fill("maya at northwind")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("doesn't look like an email address")).to_be_visible()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("Maya Chen")
    email.fill("maya@example.org")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(messages(page).first).to_contain_text("Saved Maya Chen")


def test_book_an_interview_with_the_date_picker_in_the_users_timezone(pages: Pages) -> None:
    page = pages.open()
    log_contact(page, "Tom Okafor")
    messages(page).first.get_by_role("button", name="Schedule interview").click()
    dialog = page.get_by_role("dialog", name="Schedule interview")
    dialog.get_by_label("Date and time").fill("2026-03-05T14:30")  # Thursday, 14:30 in Paris
    dialog.get_by_label("Length").select_option(label="30 minutes")
    dialog.get_by_label("Place or link (optional)").fill("Contoso, 2nd floor")
    dialog.get_by_role("button", name="Schedule").click()
    expect(dialog).to_be_hidden()
    confirmation = messages(page).filter(has_text="Interview with Tom Okafor scheduled")
    expect(confirmation).to_contain_text("Mar 5 at 14:30 · 30 minutes")
    expect(page.get_by_role("link", name=re.compile(r"^Download .*\.ics$"))).to_be_visible()
    expect(messages(page).first).to_contain_text("Interview with Tom Okafor booked")  # the card, in place


def test_the_app_home(pages: Pages) -> None:
    page = pages.open()
    log_contact(page, "Maya Chen")
    page.get_by_role("tab", name="Home").click()
    home = page.get_by_role("region", name="App Home")
    expect(home).to_contain_text("Your informational interviews")
    expect(home).to_contain_text("Send a request to Maya Chen")
    expect(page.get_by_label(re.compile(r"^Message "))).to_be_hidden()
    home.get_by_role("button", name="Log a contact").click()
    expect(page.get_by_role("dialog", name="Log a contact")).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_user_text_is_shown_as_text_never_as_markup(pages: Pages) -> None:
    page = pages.open()
    hostile = "<img src=x onerror=alert(1)> <!channel> *bold*"
    log_contact(
        page,
        hostile,
        **{"What do you want to learn from them? (optional)": "<b>x</b> <https://evil.example|click>"},
    )
    card = messages(page).first
    expect(card).to_contain_text("<img src=x onerror=alert(1)> <!channel>")
    assert page.locator("img").count() == 0
    assert card.locator(".mention").count() == 0  # <!channel> typed by a user is not a mention
    assert card.locator("a").count() == 0 and card.locator("b").count() == 0
    page.get_by_role("tab", name="Home").click()
    expect(page.get_by_role("region", name="App Home")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("img").count() == 0


MRKDWN_CASES = [
    # (mrkdwn, the HTML the page builds from it with DOM nodes)
    (
        "*bold* _italic_ ~gone~ `co*de*`",
        "<strong>bold</strong> <em>italic</em> <s>gone</s> <code>co*de*</code>",
    ),
    ("a*b*c and 2*3*4", "a*b*c and 2*3*4"),
    ("&lt;b&gt;not bold&lt;/b&gt; &amp;amp;", "&lt;b&gt;not bold&lt;/b&gt; &amp;amp;"),
    (
        "<https://example.org/a?b=1&amp;c=2|the site> <mailto:maya@example.org|Maya>",
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the site</a> '
        '<a href="mailto:maya@example.org" target="_blank" rel="noopener noreferrer">Maya</a>',
    ),
    ("<javascript:alert(1)|click me> <data:text/html,x>", "click me data:text/html,x"),
    (
        '<https://x.example/"onmouseover="alert(1)|x>',
        '<a href="https://x.example/&quot;onmouseover=&quot;alert(1)" '
        'target="_blank" rel="noopener noreferrer">x</a>',
    ),
    (
        "<!here> <@U0DEMOALEX> <#C0DEMOGENERAL>",
        '<span class="mention">@here</span> '
        '<span class="mention">@Alex Kim</span> <span class="mention">#general</span>',
    ),
    ("one\n>quoted *line*\ntwo", "one<blockquote>quoted <strong>line</strong></blockquote>two"),
    # 10:00 Paris on 4 March 2026 (the demo's "now" is 3 March): tomorrow.
    (
        "<!date^1772614800^{date_short_pretty} at {time}|fallback>",
        '<time datetime="2026-03-04T09:00:00.000Z">tomorrow at 10:00</time>',
    ),
    (
        "<!date^1775030400^{date_long} {date_num}|x>",
        '<time datetime="2026-04-01T08:00:00.000Z">Wednesday, April 1st 2026-04-01</time>',
    ),
    ("<!date^nonsense^{date}|the fallback>", "<time>the fallback</time>"),
]


def test_mrkdwn_renders_its_subset_with_dom_nodes_only(pages: Pages) -> None:
    page = pages.open()
    rendered = page.evaluate(
        """async ([cases, now, tz]) => {
            const { renderMrkdwn } = await import("/static/mrkdwn.js");
            const names = { U0DEMOALEX: "Alex Kim", C0DEMOGENERAL: "general" };
            return cases.map((text) => {
                const box = document.createElement("div");
                box.appendChild(renderMrkdwn(text, { tz, now, names }));
                return box.innerHTML;
            });
        }""",
        [[text for text, _ in MRKDWN_CASES], START.timestamp(), TZ],
    )
    assert rendered == [html for _, html in MRKDWN_CASES]


def test_two_pages_at_once_both_follow(pages: Pages) -> None:
    first, second = pages.open(), pages.open()
    mentor = pages.open(MENTOR.id)
    log_contact(first, "Maya Chen")
    expect(messages(second).first).to_contain_text("Saved Maya Chen")
    messages(second).first.get_by_role("button", name="Request sent").click()
    expect(messages(first).first).to_contain_text("Request recorded")
    # The mentor's page, in the same browser, sees none of the student's DMs and keeps its own person.
    expect(mentor.get_by_text("Nothing here yet")).to_be_visible()
    expect(first.get_by_label("You are")).to_have_value(STUDENT.id)
    expect(mentor.get_by_label("You are")).to_have_value(MENTOR.id)


def test_the_example_journey_has_a_calendar_file_to_download(pages: Pages, demo: DemoServer) -> None:
    demo.demo.reset(seed=True)
    page = pages.open()
    link = page.get_by_role("link", name=re.compile(r"^Download interview-tom-okafor.*\.ics$"))
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".ics")
    assert Path(download.value.path()).read_bytes().startswith(b"BEGIN:VCALENDAR")
    # A button with a confirm object asks first; "Keep it" changes nothing.
    interview = messages(page).filter(has=page.get_by_role("button", name="Cancel interview"))
    interview.get_by_role("button", name="Cancel interview").click()
    confirm = page.get_by_role("alertdialog", name="Cancel the interview?")
    expect(confirm).to_contain_text("Its reminders stop")
    confirm.get_by_role("button", name="Keep it").click()
    expect(confirm).to_be_hidden()
    expect(interview).not_to_contain_text("cancelled")


def test_a_channel_with_a_digest_a_chart_and_a_csv(pages: Pages, demo: DemoServer) -> None:
    page = pages.open(MENTOR.id)
    post_digest(demo)
    page.get_by_role("navigation", name="Conversations").get_by_role("button", name="# C0COHORT").click()
    expect(page.get_by_role("heading", name="Weekly digest")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Interviews")
    chart = page.get_by_role("img", name="Requests per week")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth") == 4
    expect(page.get_by_role("link", name="Download report.csv")).to_be_visible()
    expect(page.get_by_label("Message #C0COHORT")).to_be_visible()


def test_a_forged_user_gets_a_400_not_a_page(pages: Pages, demo: DemoServer) -> None:
    page = pages.open()
    answer = page.request.get(f"{demo.url}api/state?user=UFORGED")
    assert answer.status == 400 and "unknown demo user" in answer.json()["error"]
    assert request(f"{demo.url}api/state?user={STUDENT.id}").status == 200


def test_the_mentor_creates_a_cohort_and_sees_the_report(pages: Pages, demo: DemoServer) -> None:
    """A cohort is a channel: the mentor makes #general one, a student joins with the announcement's
    button after seeing what the mentor will see, the mentor's report counts them, and on Monday the
    weekly digest is in the channel."""
    mentor = pages.open(MENTOR.id)
    mentor.get_by_role("navigation", name="Conversations").get_by_role("button", name="# general").click()
    command(mentor, "/infoint cohort create Spring cohort")
    timeline = mentor.locator("#timeline")
    expect(timeline).to_contain_text("is now a job-search cohort")
    student = pages.open(STUDENT.id)
    student.get_by_role("navigation", name="Conversations").get_by_role("button", name="# general").click()
    student.get_by_role("button", name="Join the cohort").click()
    dialog = student.get_by_role("dialog", name="Join the cohort")
    expect(dialog).to_contain_text("exactly what they will see")
    dialog.get_by_role("button", name="Join").click()
    expect(dialog).to_be_hidden()
    command(mentor, "/infoint cohort report")
    expect(timeline).to_contain_text("Cohort report: Spring cohort")
    expect(timeline).to_contain_text("1 students")
    # Monday 09:00: the weekly digest in the channel, its chart in the thread.
    mentor.get_by_role("button", name="Next Monday 09:00").click()
    expect(timeline).to_contain_text("Spring cohort: the week of")
