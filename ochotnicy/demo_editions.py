"""The demonstration editions: the 2021 partnership rounds, the 2022 round that followed, the library programme's three."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ochotnicy.demo_model import Edition

SPRING, AUTUMN, SPRING_2022 = "p2021-spring", "p2021-autumn", "p2022-spring"
LIBRARIES_2017, LIBRARIES_2018, LIBRARIES_2019 = "lib2017", "lib2018", "lib2019"
LIBRARY_EDITIONS = (LIBRARIES_2017, LIBRARIES_2018, LIBRARIES_2019)

EDITIONS = (
    Edition(SPRING, "partnerships", "Partnerstwa 2021 – tura wiosenna", 2021, "spring", "partnership", False,
            datetime.date(2021, 3, 15), datetime.date(2021, 4, 16), Decimal("150000.00")),
    Edition(AUTUMN, "partnerships", "Partnerstwa 2021 – tura jesienna", 2021, "autumn", "partnership", True,
            datetime.date(2021, 9, 6), datetime.date(2021, 10, 8), Decimal("100000.00")),
    # "Program partnerstw instytucji na rzecz wolontariatu będzie kontynuowany w roku 2022" (the seeds).
    Edition(SPRING_2022, "partnerships", "Partnerstwa 2022 – tura wiosenna", 2022, "spring", "partnership", False,
            datetime.date(2022, 3, 14), datetime.date(2022, 4, 15), Decimal("80000.00")),
    # The text reports 2017 and 2018 together (24 libraries, 300+ volunteers) and calls 2019 the third edition:
    # two yearly editions, whose total across both years (the programme's summary) is the seeds' figure.
    Edition(LIBRARIES_2017, "libraries", "Rozwój wolontariatu w bibliotekach 2017 – I edycja", 2017, None, "enrolment",
            False, datetime.date(2017, 2, 1), datetime.date(2017, 3, 10)),
    Edition(LIBRARIES_2018, "libraries", "Rozwój wolontariatu w bibliotekach 2018 – II edycja", 2018, None, "enrolment",
            False, datetime.date(2018, 1, 15), datetime.date(2018, 2, 23)),
    Edition(LIBRARIES_2019, "libraries", "Rozwój wolontariatu w bibliotekach 2019 – III edycja", 2019, None, "enrolment",
            False, datetime.date(2019, 1, 14), datetime.date(2019, 2, 22)),
)
EDITION_BY_KEY = {e.key: e for e in EDITIONS}

REPLACED = ("Rozwój wolontariatu w bibliotekach 2017–2018",)
"""Editions an earlier version of the demo loaded and this one no longer does (2017 and 2018 were one edition)."""
