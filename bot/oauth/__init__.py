"""OAuth distribution: infoint installed in many workspaces, each with its own bot token, sealed at rest.

On when ``SLACK_CLIENT_ID``, ``SLACK_CLIENT_SECRET`` and ``INFOINT_ENCRYPTION_KEY`` are set (HTTP
mode); otherwise infoint runs with the one ``SLACK_BOT_TOKEN``. Modules:

- `sealing`: Fernet keys (the first seals, all open) and sealing a token;
- `store`: slack_sdk's SQLAlchemy installation store, sealing before a save and opening after a find,
  and its OAuth state store, on the app's database (tables of migration 0006, `storage.installs`);
- `flow`: bolt's OAuth flow (``/slack/install``, ``/slack/oauth_redirect``) with infoint's pages
  (`pages`), refusing Enterprise Grid organization-wide installs;
- `revocation`: ``app_uninstalled`` / ``tokens_revoked`` delete the tokens and stop the reminders;
- `installations`: `InstalledWorkspaces`, the workspaces the sweep serves, each with its own client;
- `reseal`: ``infoint db reseal``, every token sealed again with the first key.

`distribution.Distribution` puts them together for `bot.app.create_app` and the CLI.
"""
