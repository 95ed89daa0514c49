"""The web pages of installing infoint: "Add to Slack", installed, and why an installation stopped.

Plain HTML, every value from outside escaped. A failure page says what happened in the installer's
words and what to do; it never shows a code, a token or a trace.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:34em;margin:4em auto;padding:0 1em;color:#1d1c1d}"
    "a.add{display:inline-block;background:#4a154b;color:#fff;padding:.7em 1.2em;border-radius:6px;"
    "text-decoration:none;font-weight:600}"
)


@dataclass(frozen=True)
class Page:
    status: int
    body: str


def _page(title: str, *paragraphs: str) -> str:
    content = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>{html.escape(title)}</h1>\n{content}\n</body></html>\n"
    )


def install_page(authorize_url: str) -> str:
    return _page(
        "Add infoint to Slack",
        "infoint keeps the records of your informational interviews and sends the right reminder at "
        "the right time, in Slack.",
        f'<a class="add" href="{html.escape(authorize_url, quote=True)}">Add to Slack</a>',
        "Slack asks a workspace admin to approve what infoint may do before it is installed.",
    )


def installed_page(team_name: str | None, app_id: str | None, team_id: str | None) -> str:
    where = html.escape(team_name) if team_name else "your workspace"
    link = ""
    if app_id and team_id:
        query = f"app={html.escape(app_id, quote=True)}&amp;team={html.escape(team_id, quote=True)}"
        link = f' <a href="https://slack.com/app_redirect?{query}">Open infoint in Slack</a>.'
    return _page(
        "infoint is installed",
        f"infoint is now installed in {where}.{link}",
        "In Slack, type <code>/infoint</code> or open infoint's App Home to start.",
    )


_AGAIN = f'<a href="{INSTALL_PATH}">Start the installation again</a>.'


def failure_page(reason: str, org_wide: bool = False) -> Page:
    """The page for an installation that stopped, by bolt's reason (or Slack's ``error``)."""
    if org_wide:
        return Page(
            403,
            _page(
                "Install infoint in each workspace",
                "infoint is installed per workspace, not for a whole Enterprise Grid organization, so "
                "this organization-wide installation was refused and nothing was installed.",
                "Ask an admin to install it in each workspace that should use it.",
            ),
        )
    if reason == "access_denied":
        return Page(200, _page("Nothing was installed", "The installation was cancelled in Slack.", _AGAIN))
    if reason in ("invalid_browser", "invalid_state"):
        return Page(
            400,
            _page(
                "This installation link is not valid",
                "It has expired, was already used, or did not start from this browser, so nothing was "
                "installed.",
                _AGAIN,
            ),
        )
    if reason in ("missing_code", "invalid_code"):
        return Page(
            400,
            _page(
                "Slack did not confirm the installation",
                "Slack did not accept this installation, so nothing was installed.",
                _AGAIN,
            ),
        )
    if reason == "storage_error":
        return unavailable_page()
    return Page(
        400,
        _page(
            "Nothing was installed",
            f"Slack stopped the installation ({html.escape(reason[:80])}).",
            _AGAIN,
        ),
    )


def unavailable_page() -> Page:
    return Page(
        503,
        _page(
            "Nothing was installed",
            "Something went wrong on infoint's side. Please try again in a few minutes.",
            _AGAIN,
        ),
    )
