"""The database: schema, engine, writes and read queries. Works on SQLite and PostgreSQL."""
