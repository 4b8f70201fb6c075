"""Waardecoach's additions to Rasa Open Source (custom channels)."""
