"""Signals of the registry for the apps above it (they connect in their AppConfig.ready())."""

from django.dispatch import Signal

# Sent after a class list import committed: `organisation` (an Organisation), `created` (how
# many people). The bulk write bypasses the models' signals; values derived from the registry
# (monitoring's stored indicators) are refreshed from here.
people_imported = Signal()
