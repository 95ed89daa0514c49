"""`infoint demo`: try infoint without a Slack workspace, in the browser.

One process, no tokens, no network: the real app (the same Bolt listeners, services, database and
sweep as `infoint run`, on a SQLite file of its own) talks to a local stand-in for Slack's Web API
(`bot.fakeslack`, through SLACK_API_URL), and a page on 127.0.0.1 plays Slack's client for a few
demo people. What the page does becomes real signed Slack requests to the app's WSGI application.

Modules: `serve` (the server and the command), `web` (the page's JSON API), `player` (what a person
does, as Slack requests), `door` (signing and handing requests to the app), `inputs` (page values
as Slack's action and state objects), `snapshot` (what a person sees), `runtime` (the app, the
stand-in, the sweep and the clock together), `clock`, `people`, `seed` (the example journey), and
`static/` (the page: plain HTML, CSS and JavaScript).
"""
