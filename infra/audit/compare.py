"""Two copies of the same tables compared row by row, as the audit replay and the rebuild tests compare them."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, MetaData, select


@dataclasses.dataclass(frozen=True)
class Difference:
    table: str
    key: tuple
    column: str | None
    live: Any
    replayed: Any

    def describe(self) -> str:
        key = ", ".join(str(k) for k in self.key)
        if self.column is None and self.live is None:
            return f"{self.table} [{key}]: odtworzony model ma ten wiersz, bieżący nie ma"
        if self.column is None and self.replayed is None:
            return f"{self.table} [{key}]: bieżący model ma ten wiersz, odtworzony nie ma"
        return f"{self.table} [{key}].{self.column}: bieżąco {self.live!r}, po odtworzeniu {self.replayed!r}"


def _normal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return format(Decimal(int(value)), "f")
    return value


def _rows(engine: Engine, table) -> dict[tuple, dict[str, Any]]:
    key_columns = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
    with engine.connect() as connection:
        rows = connection.execute(select(table)).mappings().all()
    return {tuple(_normal(r[k]) for k in key_columns): {k: _normal(v) for k, v in r.items()} for r in rows}


def compare(tables: MetaData, live: Engine, scratch: Engine, limit: int = 200) -> list[Difference]:
    """Row-by-row differences between two copies of the same tables (by primary key), but in columns marked
    info={"compared": False} (a stamp of when a row was written, no fact a replay can give again)."""
    differences: list[Difference] = []
    for table in tables.sorted_tables:
        ours, theirs = _rows(live, table), _rows(scratch, table)
        for key in sorted(ours.keys() | theirs.keys(), key=str):
            if key not in ours:
                differences.append(Difference(table.name, key, None, None, "row"))
            elif key not in theirs:
                differences.append(Difference(table.name, key, None, "row", None))
            else:
                for column, value in ours[key].items():
                    if theirs[key].get(column) != value and table.c[column].info.get("compared", True):
                        differences.append(Difference(table.name, key, column, value, theirs[key].get(column)))
            if len(differences) >= limit:
                return differences
    return differences
