"""The register's states: the one place that decides what is in force on a day (valid time) and what the atlas
had recorded at a moment (registration time).

- ``rule``: the rule "in force on a day", in Python for what is in memory and as its SQL twin for queries;
- ``days``: the days on which the register changes, and the state (interval between two of them) of a day;
- ``view``: ``RegisterView``, the register (or the part of it in force on one day) read into memory once;
- ``registration``: the register as the atlas had recorded it at the end of a day, rewound from the change log.

The modules import the store, never the other way round, except ``rule``, which imports only the schema so that
the store's own queries can use it. This file imports nothing, so that importing ``rule`` stays cheap.
"""
