"""Check manifest.yml against Slack's app-manifest JSON Schema and against what infoint needs.

The schema is Slack's own (slackapi/manifest-schema, draft-07). It lives outside this project, at
``../shared/slack/manifest.schema.1.0.0.json`` relative to the project root; set the environment
variable ``INFOINT_MANIFEST_SCHEMA`` to use another copy. When it is absent the schema tests are
skipped, the content tests still run.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MANIFEST_PATH = PROJECT_ROOT / "manifest.yml"
DEFAULT_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "shared" / "slack" / "manifest.schema.1.0.0.json"

# Changing this set is a deliberate act: every added scope makes workspaces re-approve the app.
EXPECTED_BOT_SCOPES = {
    "commands",
    "chat:write",
    "users:read",
    "im:history",
    "files:write",
    "channels:read",
    "groups:read",
}
# The channel events that pause and resume a cohort.
COHORT_EVENTS = {
    "channel_left",
    "group_left",
    "member_left_channel",
    "member_joined_channel",
    "channel_archive",
    "channel_unarchive",
    "group_archive",
    "group_unarchive",
}


# The app removed or its token revoked: tokens deleted, reminders stopped (bot/oauth/revocation.py).
UNINSTALL_EVENTS = {"app_uninstalled", "tokens_revoked"}


def _schema_path() -> Path:
    override = os.environ.get("INFOINT_MANIFEST_SCHEMA")
    return Path(override) if override else DEFAULT_SCHEMA_PATH


def _errors(validator: Draft7Validator, instance: Any) -> list[str]:
    """Every schema error, as '<json path>: <message>', in a stable order."""
    errors = sorted(validator.iter_errors(instance), key=lambda e: (e.json_path, e.message))
    return [f"{e.json_path}: {e.message}" for e in errors]


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    with MANIFEST_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{MANIFEST_PATH} must hold a YAML mapping"
    return data


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    path = _schema_path()
    if not path.is_file():
        pytest.skip(
            f"Slack manifest schema not found at {path}; "
            "set INFOINT_MANIFEST_SCHEMA or provide ../shared/slack/manifest.schema.1.0.0.json"
        )
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


# --- schema validation ---------------------------------------------------------------------


def test_manifest_is_valid_against_slack_schema(manifest, validator):
    errors = _errors(validator, manifest)
    assert not errors, "manifest.yml does not match Slack's schema:\n" + "\n".join(errors)


@pytest.mark.parametrize(
    ("label", "breakage", "expected_fragment"),
    [
        pytest.param(
            "slash command without description",
            lambda m: m["features"]["slash_commands"][0].pop("description"),
            "'description' is a required property",
            id="slash command without description",
        ),
        pytest.param(
            "display_information without name",
            lambda m: m["display_information"].pop("name"),
            "'name' is a required property",
            id="display_information without name",
        ),
        pytest.param(
            "no display_information at all",
            lambda m: m.pop("display_information"),
            "'display_information' is a required property",
            id="no display_information at all",
        ),
        pytest.param(
            "misspelt settings key",
            lambda m: m["settings"].update(socket_mode=True),
            "Additional properties are not allowed",
            id="misspelt settings key",
        ),
        pytest.param(
            "long_description too short",
            lambda m: m["display_information"].update(long_description="Too short."),
            "is too short",
            id="long_description too short",
        ),
        pytest.param(
            "description over 140 characters",
            lambda m: m["display_information"].update(description="x" * 141),
            "is too long",
            id="description over 140 characters",
        ),
        pytest.param(
            "slash command not starting with /",
            lambda m: m["features"]["slash_commands"][0].update(command="infoint"),
            "does not match",
            id="slash command not starting with /",
        ),
        pytest.param(
            "interactivity without is_enabled",
            lambda m: m["settings"]["interactivity"].pop("is_enabled"),
            "'is_enabled' is a required property",
            id="interactivity without is_enabled",
        ),
    ],
)
def test_validator_rejects_broken_copies(manifest, validator, label, breakage, expected_fragment):
    broken = copy.deepcopy(manifest)
    breakage(broken)
    errors = _errors(validator, broken)
    assert errors, f"schema accepted a manifest with {label}"
    assert any(expected_fragment in e for e in errors), (label, errors)


# --- content checks (independent of the schema file) ---------------------------------------


def test_metadata_version(manifest):
    assert manifest["_metadata"] == {"major_version": 1, "minor_version": 1}


def test_display_information(manifest):
    info = manifest["display_information"]
    assert info["name"] == "infoint"
    assert 1 <= len(info["description"]) <= 140
    # Slack's docs say 174, the schema says 175: satisfy the stricter one.
    assert 175 <= len(info["long_description"]) <= 4000
    # The schema spells this constraint "regex", which is not a JSON Schema keyword, so the
    # validator ignores it; check it here instead.
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", info["background_color"])


def test_bot_user(manifest):
    assert manifest["features"]["bot_user"] == {"display_name": "infoint", "always_online": True}


def test_infoint_slash_command(manifest):
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/infoint"}
    cmd = commands["/infoint"]
    assert cmd["description"].strip()
    assert cmd["usage_hint"].strip()
    assert cmd["should_escape"] is False


def test_home_and_messages_tabs_enabled(manifest):
    app_home = manifest["features"]["app_home"]
    assert app_home["home_tab_enabled"] is True
    assert app_home["messages_tab_enabled"] is True
    assert app_home["messages_tab_read_only_enabled"] is False


def test_app_home_opened_subscribed(manifest):
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_cohort_channel_events_subscribed(manifest):
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) == {"app_home_opened"} | COHORT_EVENTS | UNINSTALL_EVENTS


def test_socket_mode_and_interactivity(manifest):
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


def test_bot_scopes_are_exactly_the_expected_set(manifest):
    scopes = manifest["oauth_config"]["scopes"]
    bot = scopes["bot"]
    assert len(bot) == len(set(bot)), f"duplicate bot scopes: {bot}"
    assert set(bot) == EXPECTED_BOT_SCOPES, (
        f"bot scopes changed: added {sorted(set(bot) - EXPECTED_BOT_SCOPES)}, "
        f"removed {sorted(EXPECTED_BOT_SCOPES - set(bot))}; update EXPECTED_BOT_SCOPES deliberately"
    )
    assert not scopes.get("user"), "infoint needs no user-token scopes"


def test_oauth_redirect_is_the_path_infoint_serves(manifest):
    from bot.oauth.pages import REDIRECT_PATH

    urls = manifest["oauth_config"]["redirect_urls"]
    assert urls == [f"https://YOUR-HOST{REDIRECT_PATH}"]
