"""The institutions of the demonstration: 51 library branches, the institutions the seeds name, and their partners."""

from __future__ import annotations

from ochotnicy.demo_editions import LIBRARIES_2017, LIBRARIES_2018, LIBRARIES_2019
from ochotnicy.demo_model import Institution

_INSTITUTIONS: list[Institution] = []


def _add(key: str, name: str, kind: str, district: str, is_mal: bool = False) -> str:
    _INSTITUTIONS.append(Institution(key, name, kind, district, is_mal))
    return key


def _library(district: str, branch: str) -> str:
    if district == "Włochy":  # as the programme's text names it
        return f"Biblioteka Publiczna Dzielnicy Włochy m.st. Warszawy – {branch}"
    return f"Biblioteka Publiczna w Dzielnicy {district} m.st. Warszawy – {branch}"


# Library branches: (key, district, branch or full name, the library programme's editions it took part in).
# 24 in the 1st or 2nd edition (18 in the 1st, 20 in the 2nd: 14 in both), 45 in the 3rd.
_BRANCHES = (
    ("lib-bemowo-52", "Bemowo", "Wypożyczalnia nr 52", "I II III"),
    ("lib-bemowo-60", "Bemowo", "Wypożyczalnia dla Dzieci i Młodzieży nr 60", "III"),
    ("lib-bialoleka-f4", "Białołęka", "Filia nr 4", "II III"),
    ("lib-bialoleka-118", "Białołęka", "Wypożyczalnia nr 118", "III"),
    ("lib-bialoleka-f7", "Białołęka", "Filia nr 7", "III"),
    ("lib-bielany-40", "Bielany", "Wypożyczalnia nr 40", "I II III"),
    ("lib-bielany-46", "Bielany", "Wypożyczalnia dla Dzieci i Młodzieży nr 46", "I II"),
    ("lib-bielany-cz17", "Bielany", "Czytelnia nr 17", "III"),
    ("lib-mokotow-18", "Mokotów", "Wypożyczalnia nr 18", "I II III"),
    ("lib-mokotow-22", "Mokotów", "Wypożyczalnia nr 22", "I II III"),
    ("lib-mokotow-25", "Mokotów", "Wypożyczalnia nr 25", "III"),
    ("lib-mokotow-29", "Mokotów", "Wypożyczalnia dla Dzieci i Młodzieży nr 29", "III"),
    ("lib-mokotow-cz8", "Mokotów", "Czytelnia Naukowa nr 8", "III"),
    # Named in the programme's text (a photograph of the autumn round's projects).
    ("lib-ochota-75", "Ochota", "Biblioteka „Pod Skrzydłami” Wypożyczalni dla dzieci i młodzieży nr 75", "I II III"),
    ("lib-ochota-78", "Ochota", "Wypożyczalnia nr 78", "I"),
    ("lib-ochota-83", "Ochota", "Wypożyczalnia nr 83", "III"),
    ("lib-pp-64", "Praga-Południe", "Wypożyczalnia nr 64", "I II III"),
    ("lib-pp-65", "Praga-Południe", "Wypożyczalnia dla Dzieci i Młodzieży nr 65", "III"),
    ("lib-pp-71", "Praga-Południe", "Wypożyczalnia nr 71", "II III"),
    ("lib-ppn-94", "Praga-Północ", "Wypożyczalnia nr 94", "I II III"),
    ("lib-ppn-97", "Praga-Północ", "Wypożyczalnia dla Dzieci i Młodzieży nr 97", "III"),
    ("lib-ppn-cz21", "Praga-Północ", "Czytelnia nr 21", "III"),
    ("lib-rembertow-1", "Rembertów", "Wypożyczalnia nr 1", "I"),
    ("lib-rembertow-f2", "Rembertów", "Filia nr 2", "III"),
    ("lib-srodmiescie-13", "Śródmieście", "Wypożyczalnia nr 13", "I II III"),
    ("lib-srodmiescie-16", "Śródmieście", "Wypożyczalnia dla Dzieci i Młodzieży nr 16", "III"),
    ("lib-srodmiescie-cz6", "Śródmieście", "Czytelnia nr 6", "III"),
    ("lib-targowek-109", "Targówek", "Wypożyczalnia nr 109", "I II III"),
    ("lib-targowek-111", "Targówek", "Wypożyczalnia dla Dzieci i Młodzieży nr 111", "III"),
    ("lib-targowek-f3", "Targówek", "Filia nr 3", "III"),
    ("lib-ursus-1", "Ursus", "Wypożyczalnia nr 1", "II III"),
    ("lib-ursus-f5", "Ursus", "Filia nr 5", "III"),
    ("lib-ursynow-139", "Ursynów", "Wypożyczalnia nr 139", "I II III"),
    ("lib-ursynow-145", "Ursynów", "Wypożyczalnia nr 145", "I II"),
    ("lib-ursynow-147", "Ursynów", "Wypożyczalnia dla Dzieci i Młodzieży nr 147", "III"),
    ("lib-ursynow-150", "Ursynów", "Wypożyczalnia nr 150", "III"),
    ("lib-wawer-1", "Wawer", "Wypożyczalnia nr 1", "I II III"),
    ("lib-wawer-f4", "Wawer", "Filia nr 4", "III"),
    ("lib-wawer-f9", "Wawer", "Filia nr 9", "III"),
    ("lib-wesola-1", "Wesoła", "Wypożyczalnia nr 1", "I"),
    ("lib-wesola-f3", "Wesoła", "Filia nr 3", "III"),
    ("lib-wilanow-1", "Wilanów", "Wypożyczalnia nr 1", "II III"),
    ("lib-wilanow-f2", "Wilanów", "Filia nr 2", "III"),
    ("lib-wlochy-73", "Włochy", "Wypożyczalnia nr 73", "II III"),
    ("lib-wlochy-74", "Włochy", "Wypożyczalnia dla Dzieci i Młodzieży nr 74", "III"),
    ("lib-wola-31", "Wola", "Wypożyczalnia nr 31", "I II III"),
    ("lib-wola-35", "Wola", "Wypożyczalnia nr 35", "I"),
    ("lib-wola-36", "Wola", "Wypożyczalnia dla Dzieci i Młodzieży nr 36", "III"),
    ("lib-wola-cz10", "Wola", "Czytelnia nr 10", "III"),
    ("lib-zoliborz-48", "Żoliborz", "Wypożyczalnia nr 48", "II III"),
    ("lib-zoliborz-53", "Żoliborz", "Wypożyczalnia dla Dzieci i Młodzieży nr 53", "III"),
)
for _key, _district, _branch, _ in _BRANCHES:
    _add(_key, _branch if _branch.startswith("Biblioteka") else _library(_district, _branch), "library", _district)
ENROLMENTS = {edition: tuple(key for key, _, _, numbers in _BRANCHES if number in numbers.split())
              for edition, number in ((LIBRARIES_2017, "I"), (LIBRARIES_2018, "II"), (LIBRARIES_2019, "III"))}
"""The libraries enrolled in each edition of the library programme, by the edition's key."""
LIBRARIES_2017_2018 = tuple(key for key, _, _, numbers in _BRANCHES if {"I", "II"} & set(numbers.split()))

# Named in the programme's text (the photographs of the autumn round's projects).
POD_SKRZYDLAMI = "lib-ochota-75"
DK_WLOCHY = _add("dk-wlochy", "Dom Kultury „Włochy”", "culture_house", "Włochy")
BP_WLOCHY = _add("bp-wlochy", "Biblioteka Publiczna Dzielnicy Włochy m.st. Warszawy", "library", "Włochy")
OPP_OCHOTA = _add("opp-ochota", "Ognisko Pracy Pozaszkolnej na Ochocie", "other", "Ochota")
SURMA = _add("mal-surma", "Miejsce Aktywności Lokalnej SURMA – Ośrodek Pomocy Społecznej", "social_welfare_centre", "Ochota",
             is_mal=True)


def _ops(district: str) -> str:
    return f"Ośrodek Pomocy Społecznej Dzielnicy {district} m.st. Warszawy"


for _key, _name, _kind, _district, *_mal in (
    ("dk-bemowo", "Dom Kultury „Górczewska”", "culture_house", "Bemowo"),
    ("sp-bemowo", "Szkoła Podstawowa nr 301", "school", "Bemowo"),
    ("ops-bemowo", _ops("Bemowo"), "social_welfare_centre", "Bemowo"),
    ("mal-bemowo", "Miejsce Aktywności Lokalnej „Jelonki”", "mal", "Bemowo"),
    ("dk-bialoleka", "Centrum Kultury „Nowodwory”", "culture_house", "Białołęka"),
    ("mal-bialoleka", "Miejsce Aktywności Lokalnej „Tarchomin”", "mal", "Białołęka"),
    ("ngo-bialoleka", "Stowarzyszenie „Sąsiedzka Białołęka”", "ngo", "Białołęka"),
    ("ops-bielany", _ops("Bielany"), "social_welfare_centre", "Bielany"),
    ("dps-bielany", "Dom Pomocy Społecznej „Pod Lipami”", "care_home", "Bielany"),
    ("sp-bielany", "Szkoła Podstawowa nr 263", "school", "Bielany"),
    ("dk-bielany", "Dom Kultury „Chomiczówka”", "culture_house", "Bielany"),
    ("mal-bielany", "Miejsce Aktywności Lokalnej „Wrzeciono”", "mal", "Bielany"),
    ("dk-mokotow", "Dom Kultury „Sielce”", "culture_house", "Mokotów"),
    ("sp-mokotow", "Szkoła Podstawowa nr 254", "school", "Mokotów"),
    ("sp-mokotow-103", "Szkoła Podstawowa nr 103", "school", "Mokotów"),
    ("zs-mokotow", "Zespół Szkół nr 42", "school", "Mokotów"),
    ("ngo-mokotow", "Fundacja „Mokotowskie Podwórka”", "ngo", "Mokotów"),
    ("ops-mokotow", _ops("Mokotów"), "social_welfare_centre", "Mokotów"),
    ("mal-mokotow", "Miejsce Aktywności Lokalnej „Dolny Mokotów”", "mal", "Mokotów"),
    ("dk-ochota", "Ośrodek Kultury „Szczęśliwice”", "culture_house", "Ochota"),
    ("sp-ochota", "Szkoła Podstawowa nr 15", "school", "Ochota"),
    ("dk-pp", "Dom Kultury „Gocław”", "culture_house", "Praga-Południe"),
    ("ops-pp", _ops("Praga-Południe"), "social_welfare_centre", "Praga-Południe"),
    ("mal-pp", "Miejsce Aktywności Lokalnej „Grochów”", "mal", "Praga-Południe"),
    ("sp-pp", "Szkoła Podstawowa nr 143", "school", "Praga-Południe"),
    ("sp-pp-373", "Szkoła Podstawowa nr 373", "school", "Praga-Południe"),
    ("ngo-pp", "Fundacja „Razem na Grochowie”", "ngo", "Praga-Południe"),
    ("dk-ppn", "Dom Kultury „Ząbkowska”", "culture_house", "Praga-Północ"),
    ("mal-ppn", "Miejsce Aktywności Lokalnej „Nowa Praga”", "mal", "Praga-Północ"),
    ("ngo-ppn", "Stowarzyszenie „Praskie Podwórka”", "ngo", "Praga-Północ"),
    ("sp-ppn", "Szkoła Podstawowa nr 30", "school", "Praga-Północ"),
    ("dk-rembertow", "Dom Kultury „Rembertów”", "culture_house", "Rembertów"),
    ("sp-rembertow", "Szkoła Podstawowa nr 221", "school", "Rembertów"),
    ("mal-rembertow", "Miejsce Aktywności Lokalnej „Kawęczyn”", "mal", "Rembertów"),
    ("dk-srodmiescie", "Dom Kultury „Muranów”", "culture_house", "Śródmieście"),
    ("mal-srodmiescie", "Miejsce Aktywności Lokalnej „Powiśle”", "mal", "Śródmieście"),
    ("dps-srodmiescie", "Dom Pomocy Społecznej „Solec”", "care_home", "Śródmieście"),
    ("dk-targowek", "Dom Kultury „Zacisze”", "culture_house", "Targówek"),
    ("ops-targowek", _ops("Targówek"), "social_welfare_centre", "Targówek"),
    ("dps-targowek", "Dom Pomocy Społecznej „Bródno”", "care_home", "Targówek"),
    ("sp-targowek", "Szkoła Podstawowa nr 114", "school", "Targówek"),
    ("mal-targowek", "Miejsce Aktywności Lokalnej „Targówek Mieszkaniowy”", "mal", "Targówek"),
    ("dk-ursus", "Ośrodek Kultury „Skorosze”", "culture_house", "Ursus"),
    ("sp-ursus", "Szkoła Podstawowa nr 11", "school", "Ursus"),
    ("mal-ursus", "Miejsce Aktywności Lokalnej „Gołąbki”", "mal", "Ursus"),
    ("dk-ursynow", "Dom Kultury „Natolin”", "culture_house", "Ursynów"),
    ("dk-ursynow-imielin", "Dom Kultury „Imielin”", "culture_house", "Ursynów"),
    ("sp-ursynow", "Szkoła Podstawowa nr 313", "school", "Ursynów"),
    ("ngo-ursynow", "Stowarzyszenie „Kino Sąsiedzkie Ursynów”", "ngo", "Ursynów"),
    ("mal-ursynow", "Miejsce Aktywności Lokalnej „Kabaty”", "mal", "Ursynów"),
    ("dk-wawer", "Dom Kultury „Marysin”", "culture_house", "Wawer"),
    ("ngo-wawer", "Fundacja „Zielony Wawer”", "ngo", "Wawer"),
    ("sp-wawer", "Szkoła Podstawowa nr 218", "school", "Wawer"),
    ("ops-wawer", _ops("Wawer"), "social_welfare_centre", "Wawer"),
    ("mal-wawer", "Miejsce Aktywności Lokalnej „Anin”", "mal", "Wawer"),
    ("dk-wesola", "Dom Kultury „Stara Miłosna”", "culture_house", "Wesoła"),
    ("dk-wilanow", "Ośrodek Kultury „Powsin”", "culture_house", "Wilanów"),
    ("sp-wilanow", "Szkoła Podstawowa nr 300", "school", "Wilanów"),
    ("ops-wlochy", _ops("Włochy"), "social_welfare_centre", "Włochy"),
    ("mal-wlochy", "Miejsce Aktywności Lokalnej „Okęcie”", "mal", "Włochy"),
    ("dk-wola", "Dom Kultury „Młynów”", "culture_house", "Wola"),
    ("dk-wola-dzialdowska", "Dom Kultury „Działdowska”", "culture_house", "Wola"),
    ("dps-wola", "Dom Pomocy Społecznej „Koło”", "care_home", "Wola"),
    ("ops-wola", _ops("Wola"), "social_welfare_centre", "Wola"),
    ("sp-wola", "Szkoła Podstawowa nr 153", "school", "Wola"),
    ("ngo-wola", "Fundacja „Wolskie Czytanie”", "ngo", "Wola"),
    # Declared a MAL by the applicants; staff's check found it is not one (autumn round).
    ("klub-wola", "Klub Sąsiedzki „Odolany”", "other", "Wola", True),
    ("dk-zoliborz", "Dom Kultury „Marymont”", "culture_house", "Żoliborz"),
    ("sp-zoliborz", "Szkoła Podstawowa nr 92", "school", "Żoliborz"),
    ("mal-zoliborz", "Miejsce Aktywności Lokalnej „Sady Żoliborskie”", "mal", "Żoliborz"),
):
    _add(_key, _name, _kind, _district, bool(_mal and _mal[0]))

INSTITUTIONS = tuple(_INSTITUTIONS)
INSTITUTION_BY_KEY = {i.key: i for i in INSTITUTIONS}
