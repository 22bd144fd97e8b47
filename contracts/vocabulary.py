"""Closed vocabularies of the programme, named in CONTRACT.md."""

PROGRAMMES = ("partnerships", "libraries", "culture_houses", "care_homes")
ROUNDS = ("spring", "autumn")
EDITION_KINDS = ("partnership", "enrolment")
INSTITUTION_KINDS = (
    "library",
    "culture_house",
    "mal",
    "social_welfare_centre",
    "school",
    "care_home",
    "ngo",
    "other",
)
DISTRICTS = (
    "Bemowo",
    "Białołęka",
    "Bielany",
    "Mokotów",
    "Ochota",
    "Praga-Południe",
    "Praga-Północ",
    "Rembertów",
    "Śródmieście",
    "Targówek",
    "Ursus",
    "Ursynów",
    "Wawer",
    "Wesoła",
    "Wilanów",
    "Włochy",
    "Wola",
    "Żoliborz",
)
