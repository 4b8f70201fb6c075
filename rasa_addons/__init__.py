"""Waardecoach's additions to Rasa Open Source 3.6 (see README, "rasa_addons"):

* ``rest_channel`` and ``socketio_channel``: the channels, with checked input (``user_input``)
  and Dutch replies from domain.yml (``replies``);
* ``tracker_store``: refuses messages instead of silently keeping conversations in memory when
  the database is down;
* ``action_server``: a Dutch apology, and the message reverted, when the action server fails;
* ``action_validation``: action-server responses checked with a validator built once;
* ``event_replay``: the applied events folded once per event, and tracker copies without replay;
* ``action_payload``: the action server gets the recent events, not the whole conversation.

The patches apply on import: Rasa imports this package for the channels (credentials.yml) and
the tracker store (endpoints.yml).
"""

from rasa_addons import (  # noqa: F401
    action_payload,
    action_server,
    action_validation,
    event_replay,
    tracker_store,
)
