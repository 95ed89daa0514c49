"""Take the README's screenshots of `infoint demo` (docs/demo-*.png) in headless Chromium.

    .venv/bin/python docs/screenshots.py

Needs Playwright for Python (the test extra) and Debian's chromium package; the demo runs in this
process on a free port, with its clock on a Tuesday morning so the pictures are the same every time.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from bot.demo.serve import DemoServer

DOCS = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
TZ = "Europe/Paris"
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # Tuesday 10 March 2026, 10:00 in Paris


def command(page: Page, text: str) -> None:
    box = page.get_by_label(re.compile(r"^Message "))
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def shoot(page: Page, name: str) -> None:
    page.wait_for_timeout(600)
    path = DOCS / f"demo-{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(DOCS.parent)}")


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        server = DemoServer(Path(scratch) / "demo.db", port=0, tz=TZ, start=START, seed=True)
        server.run_in_thread()
        browser = playwright.chromium.launch_persistent_context(
            str(Path(scratch) / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1366, "height": 820},
            timezone_id=TZ,
        )
        try:
            page = browser.new_page()
            page.goto(server.url)
            expect(page.get_by_text("Saved Lena Fischer")).to_be_visible()
            shoot(page, "dm-card")

            command(page, "/infoint log")
            dialog = page.get_by_role("dialog", name="Log a contact")
            dialog.get_by_label("Name", exact=True).fill("Priya Shah")
            dialog.get_by_label("Company (optional)").fill("Contoso")
            dialog.get_by_label("Email (optional)").fill("priya at contoso")
            dialog.get_by_role("button", name="Save").click()
            expect(dialog.get_by_text("doesn't look like an email")).to_be_visible()
            dialog.get_by_label("Email (optional)").scroll_into_view_if_needed()
            shoot(page, "modal-error")
            dialog.get_by_role("button", name="Cancel").click()

            page.get_by_role("tab", name="Home").click()
            expect(page.get_by_role("region", name="App Home")).to_contain_text("What's next")
            shoot(page, "app-home")

            # From scratch: a request sent today, then a week of silence.
            page.get_by_role("tab", name="Messages").click()
            page.get_by_role("button", name="Reset", exact=True).click()
            expect(page.get_by_text("Nothing here yet")).to_be_visible()
            command(page, "/infoint log")
            dialog = page.get_by_role("dialog", name="Log a contact")
            dialog.get_by_label("Name", exact=True).fill("Maya Chen")
            dialog.get_by_label("Company (optional)").fill("Northwind Health")
            dialog.get_by_label("Role (optional)").fill("Product designer")
            dialog.get_by_label("Request sent today").check()
            dialog.get_by_label("If you sent a request today: how? (optional)").select_option(label="Email")
            dialog.get_by_role("button", name="Save").click()
            expect(dialog).to_be_hidden()
            page.get_by_role("button", name="+1 week").click()
            expect(page.get_by_role("status")).to_contain_text("sent 1 DM")
            follow_up = page.locator("#timeline article").last
            follow_up.get_by_role("button", name=re.compile(r"^More options: Snooze")).click()
            shoot(page, "follow-up")
        finally:
            browser.close()
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
