"""The one SQLAlchemy MetaData every table joins (store/schema.py and its sibling schema_*.py modules); importing
store/schema.py loads them all, so the migrations and the content digest see every table."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
