"""Waardecoach's additions to Rasa Open Source 3.6 (see README, "rasa_addons"):

* ``rest_channel`` and ``socketio_channel``: the channels, with checked input (``user_input``)
  and Dutch replies from domain.yml (``replies``);
* ``tracker_store``: refuses messages instead of silently keeping conversations in memory when
  the database is down; writes compact rows (``event_codec``) and reads them back;
* ``action_server``: a Dutch apology, and the message reverted, when the action server fails;
* ``action_validation``: action-server responses checked with a validator built once;
* ``event_replay``: the applied events folded once per event, and tracker copies without replay;
* ``action_payload``: the action server gets the recent events, not the whole conversation;
* ``action_connection``: calls to the action server reuse their connections;
* ``event_codec``: the compact stored event rows; imports nothing from Rasa (the web app uses it).

The patches apply on import: Rasa imports this package for the channels (credentials.yml) and
the tracker store (endpoints.yml), with Rasa already loaded. A process that imports only
``event_codec`` (the web app) does not load Rasa; should it load Rasa's tracker store afterwards,
importing ``tracker_store`` applies them all (:func:`apply_patches`).
"""

import importlib
import sys

_PATCHES = (
    "action_connection",
    "action_payload",
    "action_server",
    "action_validation",
    "event_replay",
    "tracker_store",
)


def apply_patches() -> None:
    """Imports every module that patches Rasa (each applies its patch once, when imported)."""
    for name in _PATCHES:
        importlib.import_module(f"{__name__}.{name}")


if "rasa" in sys.modules:
    apply_patches()
