"""Boundaries and maps: simplification and server-rendered SVG (no tiles, no external requests)."""
