"""Thin rasa-sdk actions: read slots, call :mod:`bot`, pick a response and its variables.

The action server imports every submodule of this package (``rasa run actions``).
"""
