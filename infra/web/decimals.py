"""Amounts and hours as request fields: decimals written exactly as the OpenAPI documents publish them."""

from __future__ import annotations

import decimal
import re

from marshmallow import fields

DECIMAL = r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$"
"""Amounts and hours as the OpenAPI documents publish them: a JSON string of ASCII digits, at most two places after a
point, no sign, exponent, space, separator or leading zero ("6000.00", "12.5", "0.25"). What else Decimal would read
("1e3", "+6000", "6_000", " 6000", ".5", Arabic-Indic digits, the JSON number 5000.5) is a mistake to show, not to guess."""
_WRITTEN = re.compile(DECIMAL)
_FINER = re.compile(r"(0|[1-9][0-9]*)\.[0-9]{3,}")
"""Written right but for a third decimal place: said so, since that is the one thing to fix."""

MONEY = "Oczekiwano kwoty w złotych jako tekstu z cyframi i najwyżej dwoma miejscami po kropce, np. \"6000.00\"."
GROSZ = decimal.Decimal("0.01")
MOST = decimal.Decimal("100000000")


class Written(fields.Decimal):
    """A decimal as published (`DECIMAL`): anything else is refused, never read as the nearest number."""

    pattern = DECIMAL
    """What the OpenAPI documents show (infra.web.app.decimal_as_string)."""
    default_error_messages = {"places": "Można podać najwyżej dwa miejsca po przecinku."}

    def _deserialize(self, value, attr, data, **kwargs) -> decimal.Decimal:
        if not isinstance(value, str) or _WRITTEN.fullmatch(value) is None:
            raise self.make_error("places" if isinstance(value, str) and _FINER.fullmatch(value) else "invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Money(Written):
    """PLN to the grosz, written as published: a fraction of a grosz is refused, not rounded away."""

    default_error_messages = {"places": "Kwota może mieć najwyżej dwa miejsca po przecinku (pełne grosze)."}

    def _deserialize(self, value, attr, data, **kwargs) -> decimal.Decimal:
        amount = super()._deserialize(value, attr, data, **kwargs)
        if amount > MOST:
            return amount  # the range refuses it; rounding it to two places could overflow the precision
        return amount.quantize(GROSZ)


class Hours(Written):
    """Hours to a hundredth (12.5, 0.25), written as published: a finer fraction is refused, not rounded away."""

    default_error_messages = {"places": "Liczba godzin może mieć najwyżej dwa miejsca po przecinku."}
