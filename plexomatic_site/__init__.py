"""Plex-o-matic: keep a Plex media collection in order."""

__version__ = "0.1.0"
APP_NAME = "plexomatic"
