"""Fixtures for action tests: the real domain, a tracker builder, rendered replies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The bot's domain as the action server receives it."""
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "",
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest user message is ``text`` with ``intent``."""
    return Tracker(
        sender_id="test",
        slots={"value_lines": [], **(slots or {})},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": [{"name": intent, "confidence": 1.0}],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


class _Strict(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        raise KeyError(f"response variable {{{key}}} was not passed")


def rendered(dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> list[str]:
    """The Dutch texts the user would see; fails when a response variable is missing."""
    texts = []
    for message in dispatcher.messages:
        template = domain["responses"][message["response"]][0]["text"]
        texts.append(template.format_map(_Strict(message)))
    return texts


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The response names sent, in order."""
    return [message["response"] for message in dispatcher.messages]
