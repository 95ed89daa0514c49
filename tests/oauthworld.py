"""infoint distributed with OAuth, for the tests: the app built as `infoint run` builds it when
SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and INFOINT_ENCRYPTION_KEY are set, its WSGI app reached in
process, the fake Slack playing several workspaces, and a browser that installs the app (the install
page, Slack's consent as a code the fake will accept, the redirect with the state and its cookie)."""

from __future__ import annotations

import dataclasses
import email.utils
import html.parser
import http.cookies
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet
from helpers import Clock, ListenerPool, make_config
from slackwire import InProcess, Reply, SlackSender, Transport

from bot.app import WebApp, create_app
from bot.config import Config
from bot.fakeslack import FakeSlack
from bot.fakeslack.oauth import Grant
from bot.oauth.distribution import Distribution
from bot.services import Services
from storage.db import Database

CLIENT_ID = "1234567890.9876543210"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef"
TEAM_A, TEAM_B = "TAAAA0001", "TBBBB0002"
TOKEN_A = "xoxb-1111-team-a-secret-token-aaaaaaaaaaaa"
TOKEN_B = "xoxb-2222-team-b-secret-token-bbbbbbbbbbbb"


def oauth_config(slack: FakeSlack, database_url: str, key: str) -> Config:
    return dataclasses.replace(
        make_config(slack, database_url),
        bot_token="",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        encryption_key=key,
    )


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "a" and name == "href" and value:
                self.hrefs.append(value)


def links(page: bytes) -> list[str]:
    parser = _Links()
    parser.feed(page.decode("utf-8"))
    return parser.hrefs


@dataclass
class Browser:
    """An installer's browser: it keeps the cookies the app sets."""

    transport: Transport
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Reply:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reply = self.transport.request("GET", path, b"", headers)
        header = reply.headers.get("set-cookie")
        if header:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if cleared(morsel):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply


def cleared(morsel: http.cookies.Morsel[str]) -> bool:
    """Whether a Set-Cookie removes its cookie: no value, ``Max-Age`` of zero or less, or ``Expires``
    in the past. Judged on the attributes, never on the value (a state may hold "1970")."""
    if not morsel.value:
        return True
    if morsel["max-age"]:
        return int(morsel["max-age"]) <= 0
    if morsel["expires"]:
        return email.utils.parsedate_to_datetime(morsel["expires"]) <= datetime.now(UTC)
    return False


@dataclass
class OAuthWorld:
    """The app under OAuth distribution over ``db``, talking to ``slack``."""

    db: Database
    slack: FakeSlack
    key: str
    clock: Clock = field(default_factory=Clock)

    def __post_init__(self) -> None:
        self.slack.set_oauth_client(CLIENT_ID, CLIENT_SECRET)
        self.config = oauth_config(self.slack, self.db.url, self.key)
        self.services = Services(self.db, clock=self.clock)
        self.listeners = ListenerPool()
        self.distribution = Distribution.of(self.config, self.db, self.clock)
        app = create_app(
            self.config, self.services, listener_executor=self.listeners, distribution=self.distribution
        )
        self.wsgi = WebApp(app, self.services, self.config.signing_secret)
        self.transport: Transport = InProcess(self.wsgi)
        self.sender = SlackSender(self.transport, self.slack.response_url(""), self.slack.trigger_id)

    def browser(self) -> Browser:
        return Browser(self.transport)

    def serve(self, transport: Transport) -> None:
        """Reach the app through ``transport`` from now on (a real socket to it, served)."""
        self.transport = transport
        self.sender = SlackSender(transport, self.slack.response_url(""), self.slack.trigger_id)

    def start(self, browser: Browser) -> tuple[Reply, dict[str, str]]:
        """Open the install page: the page, and the query of its "Add to Slack" link."""
        page = browser.get("/slack/install")
        assert page.status == 200, page.body
        authorize = next(link for link in links(page.body) if "oauth/v2/authorize" in link)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))
        return page, query

    def install(
        self, team_id: str, token: str, name: str = "Team", *, code: str | None = None, **grant: Any
    ) -> Reply:
        """The whole installation of the app in ``team_id``: install page, consent, redirect."""
        browser = self.browser()
        _, query = self.start(browser)
        code = code or f"code-{team_id}"
        self.slack.add_install_code(code, Grant(team_id=team_id, team_name=name, bot_token=token, **grant))
        return browser.get(f"/slack/oauth_redirect?code={code}&state={query['state']}")

    def settle(self) -> None:
        self.listeners.wait_idle()

    def close(self) -> None:
        self.listeners.shutdown(wait=True)


def new_key() -> str:
    return Fernet.generate_key().decode()
