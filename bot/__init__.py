"""Waardecoach's pure domain logic: amounts, value lines, the value model.

Nothing in this package imports rasa or rasa_sdk, so it is tested in milliseconds.
"""
