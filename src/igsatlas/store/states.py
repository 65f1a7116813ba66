"""Moved to igsatlas.state.days; kept for the modules that still import it from here."""

from igsatlas.state.days import change_days, state_of

__all__ = ["change_days", "state_of"]
