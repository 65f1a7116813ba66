"""Moved to igsatlas.state.view (``RegisterView``, the one read view); kept for the modules that still import
the old name from here."""

from igsatlas.state.view import RegisterView as Snapshot

__all__ = ["Snapshot"]
