"""How every service reads an edition's rules-as-data the same way (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.applications import GrantCap


def bracket_for(grant_caps: Iterable[GrantCap], size: int) -> GrantCap | None:
    """The cap bracket a partnership of `size` institutions falls in (None when no bracket covers it)."""
    for cap in sorted(grant_caps, key=lambda c: c.min_institutions):
        if size >= cap.min_institutions and (cap.max_institutions is None or size <= cap.max_institutions):
            return cap
    return None
