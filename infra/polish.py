"""Money and cap brackets the way Polish staff write them, for messages (no I/O)."""

from __future__ import annotations

from decimal import Decimal

from contracts.applications import GrantCap


def pln(amount: Decimal) -> str:
    """6000 → "6 000,00 zł"."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " zł"


def bracket_label(cap: GrantCap) -> str:
    """"2–3 instytucji", "4 lub więcej instytucji" (after "partnerstwa")."""
    if cap.max_institutions is None:
        return f"{cap.min_institutions} lub więcej instytucji"
    if cap.max_institutions == cap.min_institutions:
        return f"{cap.min_institutions} instytucji"
    return f"{cap.min_institutions}–{cap.max_institutions} instytucji"
