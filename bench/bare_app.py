#!/usr/bin/env python
"""A bare Bolt app for `bench_ack.py` to compare with: one command, one action and one view listener
that only acknowledge, served by waitress as ``infoint run`` serves infoint (8 threads, Bolt's WSGI
adapter, ``process_before_response=False``, no token check at start; Bolt's ``auth.test`` on the first
request, cached after, as in infoint: give it a ``--token`` the API accepts).

    python bench/bare_app.py --port 3001 --signing-secret SECRET
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_bolt import Ack, App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from waitress.server import create_server  # noqa: E402

from bot.domain.ids import ActionId, ViewId  # noqa: E402


def just_ack(ack: Ack) -> None:
    ack()


def bare_app(signing_secret: str, api_url: str, token: str = "xoxb-bench") -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        token_verification_enabled=False,
        process_before_response=False,
    )
    app.command("/infoint")(just_ack)
    app.action(ActionId.LIST_PAGE.value)(just_ack)
    app.view(ViewId.LOG_CONTACT.value)(just_ack)
    return app


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signing-secret", required=True)
    parser.add_argument("--api-url", default="http://127.0.0.1:9/api/")
    parser.add_argument(
        "--token",
        default="xoxb-bench",
        help="the bot token: one the API at --api-url accepts, or every request costs a failing auth.test",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    handler = SlackRequestHandler(bare_app(args.signing_secret, args.api_url, args.token))
    server = create_server(handler, host="127.0.0.1", port=args.port, threads=8)
    print(f"bare Bolt app listening on port {args.port}", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
