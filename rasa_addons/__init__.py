"""Waardecoach's additions to Rasa Open Source: the socket.io channel, and a faster check of
action-server responses (applied on import: Rasa imports this package for the channel)."""

from rasa_addons import action_validation  # noqa: F401
