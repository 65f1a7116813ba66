"""What an import did, per kind of record: inserted / updated / unchanged / removed / rejected."""

from __future__ import annotations

from dataclasses import dataclass, field

from igsatlas.ingest.problems import Reject
from igsatlas.store.sync import TableChange


@dataclass
class ImportReport:
    changes: dict[str, TableChange] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    conflicts: int = 0  # accepted edits whose imported value changed (marked for review)
    logged: int = 0  # change-log entries written

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated or c.removed for c in self.changes.values())

    def rows(self) -> list[tuple[str, int, int, int, int, int]]:
        kinds = list(self.changes) + [k for k in self.rejected if k not in self.changes]
        out = []
        for kind in kinds:
            c = self.changes.get(kind, TableChange())
            out.append((kind, c.inserted, c.updated, c.unchanged, c.removed, self.rejected.get(kind, 0)))
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "changed": self.changed,
            "conflicts": self.conflicts,
            "logged": self.logged,
            "seconds": round(self.seconds, 3),
            "kinds": {
                kind: {"inserted": i, "updated": u, "unchanged": n, "removed": r, "rejected": x}
                for kind, i, u, n, r, x in self.rows()
            },
            "rejects": [r.render() for r in self.rejects],
        }
