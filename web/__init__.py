"""The web app: the chat page with the widget, and the trainer review page."""
