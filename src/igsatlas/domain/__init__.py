"""Pure domain model: no I/O, no database, no web."""
