"""Installing infoint in a workspace: bolt's OAuth flow, with infoint's pages and rules.

``GET /slack/install`` shows the "Add to Slack" page (a fresh state, good once for ten minutes, also
set as a cookie in the browser); ``GET /slack/oauth_redirect`` checks that state (and the cookie),
trades the code for a bot token at ``oauth.v2.access`` and saves it, sealed (`bot.oauth.store`).
Bolt's WSGI adapter routes both paths to this flow (`bot.app.WebApp` lets GETs through to it).

infoint's rules on top of bolt's: an Enterprise Grid organization-wide installation is refused (its
token revoked, nothing saved); a (re)installation clears the workspace's uninstalled mark; anything
that goes wrong shows a page that says so, never a trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation

from bot.oauth.pages import (
    INSTALL_PATH,
    REDIRECT_PATH,
    Page,
    failure_page,
    install_page,
    installed_page,
    unavailable_page,
)
from bot.oauth.store import SealedInstallationStore, state_store
from bot.scopes import BOT_SCOPES
from storage.db import Database
from storage.installs import mark_installed

log = logging.getLogger("bot.oauth")


class OrgWideInstallRefused(BoltError):
    """An Enterprise Grid organization-wide installation: infoint is installed per workspace."""


class InstallFlow(OAuthFlow):
    """bolt's OAuth flow with infoint's pages, the refusal of org-wide installs, and the workspace's
    uninstalled mark cleared on a (re)install."""

    def __init__(
        self,
        *,
        client: WebClient,
        settings: OAuthSettings,
        db: Database,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(client=client, logger=log, settings=settings)
        self.db = db
        self.clock = clock

    def handle_installation(self, request: BoltRequest) -> BoltResponse:
        try:
            return super().handle_installation(request)
        except Exception as error:  # the state store's database, most likely
            log.error("the install page could not be made: %s", type(error).__name__)
            return _response(unavailable_page())

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return install_page(url)

    def handle_callback(self, request: BoltRequest) -> BoltResponse:
        try:
            return super().handle_callback(request)
        except Exception as error:  # never a trace: the reason is logged without any token
            log.error("an installation failed: %s", type(error).__name__)
            return _response(unavailable_page(), self.settings.state_utils.build_set_cookie_for_deletion())

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        if installation.is_enterprise_install or not installation.team_id:
            self._revoke(installation)
            raise OrgWideInstallRefused("organization-wide installation refused")
        self.settings.installation_store.save(installation)
        with self.db.session() as session:
            mark_installed(session, installation.team_id, installation.team_name, self.clock())
        log.info("installed in workspace %s", installation.team_id)

    def _revoke(self, installation: Installation) -> None:
        """Give the token of a refused installation back to Slack, so nothing stays installed."""
        for token in (installation.bot_token, installation.user_token):
            if not token:
                continue
            try:
                self.client.auth_revoke(token=token)
            except (SlackApiError, OSError) as error:
                reason = error.response.get("error") if isinstance(error, SlackApiError) else "unreachable"
                log.warning("could not revoke the token of a refused installation (%s)", reason)


def success(args: SuccessArgs) -> BoltResponse:
    installation = args.installation
    body = installed_page(installation.team_name, installation.app_id, installation.team_id)
    return _response(Page(200, body), args.settings.state_utils.build_set_cookie_for_deletion())


def failure(args: FailureArgs) -> BoltResponse:
    org_wide = isinstance(args.error, OrgWideInstallRefused)
    if args.reason == "storage_error" and not org_wide:
        log.error("an installation could not be saved: %s", type(args.error).__name__)
    else:
        log.info("an installation stopped: %r", "org_wide" if org_wide else args.reason[:80])
    page = failure_page(args.reason, org_wide=org_wide)
    return _response(page, args.settings.state_utils.build_set_cookie_for_deletion())


def _response(page: Page, set_cookie: str | None = None) -> BoltResponse:
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
    }
    if set_cookie:
        headers["Set-Cookie"] = [set_cookie]
    return BoltResponse(status=page.status, body=page.body, headers=headers)


def install_flow(
    *,
    client_id: str,
    client_secret: str,
    store: SealedInstallationStore,
    db: Database,
    client: WebClient,
    clock: Callable[[], datetime],
) -> InstallFlow:
    settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=CallbackOptions(success=success, failure=failure),
        installation_store=store,
        installation_store_bot_only=True,
        state_store=state_store(db.engine),
        logger=log,
    )
    # Each request's workspace is looked up in the store; the auth.test that checks a token is made
    # once per token (a deleted installation is not found, whatever was cached for its token).
    settings.authorize = InstallationStoreAuthorize(
        logger=log,
        client_id=client_id,
        client_secret=client_secret,
        installation_store=store,
        bot_only=True,
        cache_enabled=True,
    )
    return InstallFlow(client=client, settings=settings, db=db, clock=clock)
