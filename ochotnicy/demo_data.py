"""The demonstration data: a reconstruction of the programme's 2017–2021 editions.

What the programme's own texts say, and what this reconstruction keeps exactly:

* 2021, institution partnerships: the spring round funded 24 partnerships, the autumn round 15;
  the autumn round required a Local Activity Centre (MAL) among the partners; a partnership of
  2–3 institutions could get up to 6,000 PLN, one of 4 or more up to 10,000 PLN.
* Library volunteering development: in 2017 and 2018, 24 public libraries and more than 300
  volunteers; in 2019, the 3rd edition, 45 library branches.

The institutions the texts name (Dom Kultury „Włochy”, Biblioteka Publiczna Dzielnicy Włochy,
Ognisko Pracy Pozaszkolnej na Ochocie, Biblioteka „Pod Skrzydłami”, MAL SURMA) appear in the
autumn partnerships whose photographs the text credits them for. Everything else — the other
institutions, titles, amounts, dates, volunteers — is invented, plausible and consistent.
Volunteers are fictitious people with addresses at example.org.

Everything here is plain data computed without randomness, so every load sends the same requests
(the loader derives its Idempotency-Keys from these keys).
"""

from __future__ import annotations

import dataclasses
import datetime
import unicodedata
from decimal import Decimal

VERSION = "v1"  # part of every Idempotency-Key: change it when the data changes


@dataclasses.dataclass(frozen=True)
class Institution:
    key: str
    name: str
    kind: str
    district: str
    is_mal: bool = False

    def body(self) -> dict:
        return {"name": self.name, "kind": self.kind, "district": self.district, "is_mal": self.is_mal}


@dataclasses.dataclass(frozen=True)
class Edition:
    key: str
    programme: str
    name: str
    year: int
    round: str | None
    kind: str
    mal_required: bool
    opens_on: datetime.date
    closes_on: datetime.date
    budget: Decimal | None = None

    @property
    def grant_caps(self) -> list[dict]:
        if self.kind != "partnership":
            return []
        return [
            {"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
            {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"},
        ]

    def body(self) -> dict:
        return {
            "programme": self.programme,
            "name": self.name,
            "year": self.year,
            "round": self.round,
            "kind": self.kind,
            "mal_required": self.mal_required,
            "grant_caps": self.grant_caps,
            "budget": None if self.budget is None else f"{self.budget:.2f}",
            "opens_on": self.opens_on.isoformat(),
            "closes_on": self.closes_on.isoformat(),
        }


@dataclasses.dataclass(frozen=True)
class Proposal:
    """A partnership's application and what became of it: granted, rejected or withdrawn."""

    key: str
    edition: str
    title: str
    members: tuple[str, ...]  # institution keys, the lead first
    requested: Decimal
    outcome: str  # granted | rejected | withdrawn
    granted: Decimal | None = None
    mal: str | None = None  # the MAL staff checked (autumn round)
    mal_verified: bool = True
    reason: str | None = None  # of a rejection, a withdrawal or a failed MAL check
    mal_reason: str | None = None

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def cap(self) -> Decimal:
        return Decimal("6000.00") if self.size <= 3 else Decimal("10000.00")


@dataclasses.dataclass(frozen=True)
class Volunteer:
    key: str
    first_name: str
    last_name: str
    email: str
    phone: str | None

    def body(self) -> dict:
        body = {"first_name": self.first_name, "last_name": self.last_name, "email": self.email}
        if self.phone:
            body["phone"] = self.phone
        return body


@dataclasses.dataclass(frozen=True)
class Membership:
    volunteer: str
    institution: str
    edition: str
    joined_on: datetime.date
    left_on: datetime.date | None = None

    @property
    def key(self) -> str:
        return f"{self.volunteer}:{self.edition}:{self.institution}"


# -- editions -----------------------------------------------------------------------------------

SPRING, AUTUMN, LIBRARIES_2017, LIBRARIES_2019 = "p2021-spring", "p2021-autumn", "lib2017", "lib2019"

EDITIONS = (
    Edition(SPRING, "partnerships", "Partnerstwa 2021 – tura wiosenna", 2021, "spring", "partnership", False,
            datetime.date(2021, 3, 15), datetime.date(2021, 4, 16), Decimal("150000.00")),
    Edition(AUTUMN, "partnerships", "Partnerstwa 2021 – tura jesienna", 2021, "autumn", "partnership", True,
            datetime.date(2021, 9, 6), datetime.date(2021, 10, 8), Decimal("100000.00")),
    # The text reports 2017 and 2018 together (24 libraries, 300+ volunteers): one edition, two years.
    Edition(LIBRARIES_2017, "libraries", "Rozwój wolontariatu w bibliotekach 2017–2018", 2017, None, "enrolment", False,
            datetime.date(2017, 2, 1), datetime.date(2017, 3, 10)),
    Edition(LIBRARIES_2019, "libraries", "Rozwój wolontariatu w bibliotekach 2019 – III edycja", 2019, None, "enrolment",
            False, datetime.date(2019, 1, 14), datetime.date(2019, 2, 22)),
)
EDITION_BY_KEY = {e.key: e for e in EDITIONS}


# -- institutions -------------------------------------------------------------------------------

_INSTITUTIONS: list[Institution] = []


def _add(key: str, name: str, kind: str, district: str, is_mal: bool = False) -> str:
    _INSTITUTIONS.append(Institution(key, name, kind, district, is_mal))
    return key


def _library(district: str, branch: str) -> str:
    if district == "Włochy":  # as the programme's text names it
        return f"Biblioteka Publiczna Dzielnicy Włochy m.st. Warszawy – {branch}"
    return f"Biblioteka Publiczna w Dzielnicy {district} m.st. Warszawy – {branch}"


# Library branches: (key, district, branch or full name, in 2017–2018, in 2019).
_BRANCHES = (
    ("lib-bemowo-52", "Bemowo", "Wypożyczalnia nr 52", True, True),
    ("lib-bemowo-60", "Bemowo", "Wypożyczalnia dla Dzieci i Młodzieży nr 60", False, True),
    ("lib-bialoleka-f4", "Białołęka", "Filia nr 4", True, True),
    ("lib-bialoleka-118", "Białołęka", "Wypożyczalnia nr 118", False, True),
    ("lib-bialoleka-f7", "Białołęka", "Filia nr 7", False, True),
    ("lib-bielany-40", "Bielany", "Wypożyczalnia nr 40", True, True),
    ("lib-bielany-46", "Bielany", "Wypożyczalnia dla Dzieci i Młodzieży nr 46", True, False),
    ("lib-bielany-cz17", "Bielany", "Czytelnia nr 17", False, True),
    ("lib-mokotow-18", "Mokotów", "Wypożyczalnia nr 18", True, True),
    ("lib-mokotow-22", "Mokotów", "Wypożyczalnia nr 22", True, True),
    ("lib-mokotow-25", "Mokotów", "Wypożyczalnia nr 25", False, True),
    ("lib-mokotow-29", "Mokotów", "Wypożyczalnia dla Dzieci i Młodzieży nr 29", False, True),
    ("lib-mokotow-cz8", "Mokotów", "Czytelnia Naukowa nr 8", False, True),
    # Named in the programme's text (a photograph of the autumn round's projects).
    ("lib-ochota-75", "Ochota", "Biblioteka „Pod Skrzydłami” Wypożyczalni dla dzieci i młodzieży nr 75", True, True),
    ("lib-ochota-78", "Ochota", "Wypożyczalnia nr 78", True, False),
    ("lib-ochota-83", "Ochota", "Wypożyczalnia nr 83", False, True),
    ("lib-pp-64", "Praga-Południe", "Wypożyczalnia nr 64", True, True),
    ("lib-pp-65", "Praga-Południe", "Wypożyczalnia dla Dzieci i Młodzieży nr 65", False, True),
    ("lib-pp-71", "Praga-Południe", "Wypożyczalnia nr 71", True, True),
    ("lib-ppn-94", "Praga-Północ", "Wypożyczalnia nr 94", True, True),
    ("lib-ppn-97", "Praga-Północ", "Wypożyczalnia dla Dzieci i Młodzieży nr 97", False, True),
    ("lib-ppn-cz21", "Praga-Północ", "Czytelnia nr 21", False, True),
    ("lib-rembertow-1", "Rembertów", "Wypożyczalnia nr 1", True, False),
    ("lib-rembertow-f2", "Rembertów", "Filia nr 2", False, True),
    ("lib-srodmiescie-13", "Śródmieście", "Wypożyczalnia nr 13", True, True),
    ("lib-srodmiescie-16", "Śródmieście", "Wypożyczalnia dla Dzieci i Młodzieży nr 16", False, True),
    ("lib-srodmiescie-cz6", "Śródmieście", "Czytelnia nr 6", False, True),
    ("lib-targowek-109", "Targówek", "Wypożyczalnia nr 109", True, True),
    ("lib-targowek-111", "Targówek", "Wypożyczalnia dla Dzieci i Młodzieży nr 111", False, True),
    ("lib-targowek-f3", "Targówek", "Filia nr 3", False, True),
    ("lib-ursus-1", "Ursus", "Wypożyczalnia nr 1", True, True),
    ("lib-ursus-f5", "Ursus", "Filia nr 5", False, True),
    ("lib-ursynow-139", "Ursynów", "Wypożyczalnia nr 139", True, True),
    ("lib-ursynow-145", "Ursynów", "Wypożyczalnia nr 145", True, False),
    ("lib-ursynow-147", "Ursynów", "Wypożyczalnia dla Dzieci i Młodzieży nr 147", False, True),
    ("lib-ursynow-150", "Ursynów", "Wypożyczalnia nr 150", False, True),
    ("lib-wawer-1", "Wawer", "Wypożyczalnia nr 1", True, True),
    ("lib-wawer-f4", "Wawer", "Filia nr 4", False, True),
    ("lib-wawer-f9", "Wawer", "Filia nr 9", False, True),
    ("lib-wesola-1", "Wesoła", "Wypożyczalnia nr 1", True, False),
    ("lib-wesola-f3", "Wesoła", "Filia nr 3", False, True),
    ("lib-wilanow-1", "Wilanów", "Wypożyczalnia nr 1", True, True),
    ("lib-wilanow-f2", "Wilanów", "Filia nr 2", False, True),
    ("lib-wlochy-73", "Włochy", "Wypożyczalnia nr 73", True, True),
    ("lib-wlochy-74", "Włochy", "Wypożyczalnia dla Dzieci i Młodzieży nr 74", False, True),
    ("lib-wola-31", "Wola", "Wypożyczalnia nr 31", True, True),
    ("lib-wola-35", "Wola", "Wypożyczalnia nr 35", True, False),
    ("lib-wola-36", "Wola", "Wypożyczalnia dla Dzieci i Młodzieży nr 36", False, True),
    ("lib-wola-cz10", "Wola", "Czytelnia nr 10", False, True),
    ("lib-zoliborz-48", "Żoliborz", "Wypożyczalnia nr 48", True, True),
    ("lib-zoliborz-53", "Żoliborz", "Wypożyczalnia dla Dzieci i Młodzieży nr 53", False, True),
)
for _key, _district, _branch, _, _ in _BRANCHES:
    _add(_key, _branch if _branch.startswith("Biblioteka") else _library(_district, _branch), "library", _district)
LIBRARIES_2017_2018 = tuple(key for key, _, _, first, _ in _BRANCHES if first)
LIBRARIES_IN_2019 = tuple(key for key, _, _, _, third in _BRANCHES if third)

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


# -- partnerships -------------------------------------------------------------------------------

def _granted(key, edition, title, members, requested, granted=None, mal=None) -> Proposal:
    requested = Decimal(requested)
    return Proposal(key, edition, title, tuple(members), requested, "granted",
                    granted=Decimal(granted) if granted else requested, mal=mal)


PROPOSALS = (
    # Spring round: no MAL requirement; 24 funded, 2 rejected, 1 withdrawn.
    _granted("s01", SPRING, "Bemowskie lato z książką", ["lib-bemowo-52", "dk-bemowo", "sp-bemowo"], "6000.00"),
    _granted("s02", SPRING, "Sąsiedzi czytają sąsiadom", ["lib-bialoleka-f4", "dk-bialoleka"], "4500.00"),
    _granted("s03", SPRING, "Bielańskie pokolenia – wolontariat międzypokoleniowy",
             ["ops-bielany", "lib-bielany-40", "dps-bielany", "sp-bielany"], "9800.00", "9500.00"),
    _granted("s04", SPRING, "Mokotowska Akademia Młodego Wolontariusza",
             ["dk-mokotow", "lib-mokotow-18", "sp-mokotow", "zs-mokotow", "ngo-mokotow"], "10000.00"),
    _granted("s05", SPRING, "Planszówki w bibliotece", ["lib-mokotow-22", "sp-mokotow-103"], "3200.00"),
    _granted("s06", SPRING, "Ochota na wolontariat", ["dk-ochota", "lib-ochota-78", "sp-ochota"], "5800.00"),
    _granted("s07", SPRING, "Grochowskie podwórka", ["dk-pp", "lib-pp-64", "sp-pp", "ngo-pp"], "10000.00", "9000.00"),
    _granted("s08", SPRING, "Praskie opowieści", ["dk-ppn", "lib-ppn-94", "ngo-ppn"], "6000.00"),
    _granted("s09", SPRING, "Rembertów czyta dzieciom", ["lib-rembertow-1", "sp-rembertow"], "3500.00"),
    _granted("s10", SPRING, "Wolontariusze w sercu miasta", ["dk-srodmiescie", "lib-srodmiescie-13", "dps-srodmiescie"],
             "6000.00", "5500.00"),
    _granted("s11", SPRING, "Targówek dla seniorów", ["ops-targowek", "dps-targowek", "lib-targowek-109", "dk-targowek"],
             "9600.00"),
    _granted("s12", SPRING, "Warsztaty sąsiedzkie w Ursusie", ["dk-ursus", "lib-ursus-1"], "4000.00"),
    _granted("s13", SPRING, "Ursynowskie spotkania z książką", ["lib-ursynow-139", "dk-ursynow", "sp-ursynow"], "5900.00"),
    _granted("s14", SPRING, "Zielony Wawer – wolontariat przyrodniczy",
             ["ngo-wawer", "lib-wawer-1", "sp-wawer", "dk-wawer", "ops-wawer"], "10000.00"),
    _granted("s15", SPRING, "Wesoła biblioteka", ["lib-wesola-1", "dk-wesola"], "3000.00"),
    _granted("s16", SPRING, "Wilanowskie lekcje historii", ["dk-wilanow", "lib-wilanow-1", "sp-wilanow"], "6000.00"),
    _granted("s17", SPRING, "Włochy łączą pokolenia", [DK_WLOCHY, BP_WLOCHY, "ops-wlochy"], "6000.00"),
    _granted("s18", SPRING, "Wolskie kluby czytelnicze", ["lib-wola-31", "dk-wola", "sp-wola", "ngo-wola"], "8500.00"),
    _granted("s19", SPRING, "Żoliborskie podwórka kultury", ["dk-zoliborz", "lib-zoliborz-48", "sp-zoliborz"], "5600.00"),
    _granted("s20", SPRING, "Seniorzy w sieci", ["ops-bemowo", "lib-bemowo-60"], "4200.00", "4000.00"),
    _granted("s21", SPRING, "Korepetycje sąsiedzkie", ["lib-pp-71", "ops-pp", "sp-pp-373"], "5000.00"),
    _granted("s22", SPRING, "Teatr przy bibliotece", ["lib-targowek-111", "sp-targowek"], "3800.00"),
    _granted("s23", SPRING, "Wolontariat w domu pomocy społecznej",
             ["dps-wola", "ops-wola", "lib-wola-35", "dk-wola-dzialdowska"], "9000.00", "8800.00"),
    _granted("s24", SPRING, "Kino sąsiedzkie", ["ngo-ursynow", "lib-ursynow-145", "dk-ursynow-imielin"], "6000.00"),
    Proposal("s25", SPRING, "Festyn czytelniczy na Chomiczówce", ("dk-bielany", "lib-bielany-46"), Decimal("6000.00"),
             "rejected", reason="Harmonogram nie przewiduje działań wolontariuszy: wniosek nie realizuje celu programu."),
    Proposal("s26", SPRING, "Nocne czytanie", ("lib-mokotow-29", "ops-mokotow"), Decimal("5000.00"), "rejected",
             reason="Nie uzupełniono braków formalnych w wyznaczonym terminie (brak podpisanej umowy partnerskiej)."),
    Proposal("s27", SPRING, "Ogród społeczny w Aninie", ("mal-wawer", "lib-wawer-f4"), Decimal("4500.00"), "withdrawn",
             reason="Instytucja wiodąca wycofała wniosek z powodu zmian kadrowych."),
    # Autumn round: a MAL required among the partners, checked by staff; 15 funded, 1 rejected.
    _granted("a01", AUTUMN, "Włochy – kultura po sąsiedzku", [DK_WLOCHY, BP_WLOCHY, "mal-wlochy"], "6000.00",
             mal="mal-wlochy"),
    _granted("a02", AUTUMN, "Sąsiedzka Ochota – wolontariat dzieci, młodzieży i seniorów",
             [OPP_OCHOTA, POD_SKRZYDLAMI, SURMA], "6000.00", "5800.00", mal=SURMA),
    _granted("a03", AUTUMN, "Jelonki – sąsiedzi dla sąsiadów", ["mal-bemowo", "lib-bemowo-52", "dk-bemowo", "sp-bemowo"],
             "9000.00", mal="mal-bemowo"),
    _granted("a04", AUTUMN, "Tarchomińskie spotkania sąsiedzkie", ["mal-bialoleka", "ngo-bialoleka"], "4000.00",
             mal="mal-bialoleka"),
    _granted("a05", AUTUMN, "Wrzeciono działa", ["mal-bielany", "ops-bielany", "lib-bielany-cz17", "dk-bielany"],
             "10000.00", mal="mal-bielany"),
    _granted("a06", AUTUMN, "Dolny Mokotów – wolontariat sąsiedzki", ["mal-mokotow", "dk-mokotow", "lib-mokotow-25"],
             "5500.00", mal="mal-mokotow"),
    _granted("a07", AUTUMN, "Grochów razem", ["mal-pp", "ngo-pp", "dk-pp"], "6000.00", mal="mal-pp"),
    _granted("a08", AUTUMN, "Praskie wieczory sąsiedzkie", ["mal-ppn", "ngo-ppn", "lib-ppn-cz21", "dk-ppn", "sp-ppn"],
             "10000.00", "9500.00", mal="mal-ppn"),
    _granted("a09", AUTUMN, "Kawęczyn – sąsiedzka pomoc", ["mal-rembertow", "dk-rembertow"], "3500.00",
             mal="mal-rembertow"),
    _granted("a10", AUTUMN, "Powiśle dla sąsiadów", ["mal-srodmiescie", "dk-srodmiescie", "dps-srodmiescie"], "6000.00",
             mal="mal-srodmiescie"),
    _granted("a11", AUTUMN, "Targówek Mieszkaniowy – wolontariat lokalny",
             ["mal-targowek", "ops-targowek", "lib-targowek-f3", "sp-targowek"], "8000.00", mal="mal-targowek"),
    _granted("a12", AUTUMN, "Gołąbki – lokalni wolontariusze", ["mal-ursus", "sp-ursus"], "4500.00", mal="mal-ursus"),
    _granted("a13", AUTUMN, "Kabaty sąsiedzkie", ["mal-ursynow", "lib-ursynow-150", "ngo-ursynow"], "5000.00",
             mal="mal-ursynow"),
    _granted("a14", AUTUMN, "Aniński klub wolontariusza", ["mal-wawer", "ops-wawer", "lib-wawer-f9", "dk-wawer"],
             "9500.00", mal="mal-wawer"),
    _granted("a15", AUTUMN, "Sady Żoliborskie – wolontariat sąsiedzki", ["mal-zoliborz", "lib-zoliborz-53", "dk-zoliborz"],
             "6000.00", mal="mal-zoliborz"),
    Proposal("a16", AUTUMN, "Odolany – klub sąsiedzki", ("klub-wola", "dk-wola", "sp-wola"), Decimal("6000.00"), "rejected",
             mal="klub-wola", mal_verified=False,
             mal_reason="Klub Sąsiedzki „Odolany” nie prowadzi Miejsca Aktywności Lokalnej: brak porozumienia "
                        "z m.st. Warszawy w sprawie prowadzenia MAL.",
             reason="Nie spełniono wymogu formalnego tury jesiennej: w partnerstwie nie ma zweryfikowanego "
                    "Miejsca Aktywności Lokalnej."),
)


# -- enrolments ---------------------------------------------------------------------------------

ENROLMENTS = {LIBRARIES_2017: LIBRARIES_2017_2018, LIBRARIES_2019: LIBRARIES_IN_2019}


# -- volunteers ---------------------------------------------------------------------------------

_WOMEN = (
    "Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna", "Aleksandra",
    "Zofia", "Monika", "Natalia", "Karolina", "Julia", "Marta", "Dominika", "Weronika", "Paulina", "Justyna",
    "Iwona", "Beata", "Alicja", "Emilia", "Hanna", "Oliwia", "Wiktoria", "Martyna", "Patrycja", "Izabela",
    "Sylwia", "Teresa", "Halina", "Elżbieta", "Krystyna", "Danuta", "Jadwiga", "Grażyna", "Urszula", "Renata", "Maja",
)
_MEN = (
    "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Jan", "Michał", "Marcin", "Jakub", "Adam",
    "Łukasz", "Mateusz", "Kamil", "Bartosz", "Marek", "Grzegorz", "Wojciech", "Stanisław", "Szymon", "Filip",
    "Antoni", "Kacper", "Maciej", "Dawid", "Rafał", "Jerzy", "Zbigniew", "Ryszard", "Oskar", "Igor", "Leszek",
)
_SURNAMES = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
    "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
    "Nowakowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłoński", "Król",
    "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski", "Pawlak", "Witkowski", "Walczak", "Stępień", "Górski",
    "Rutkowski", "Michalak", "Sikora", "Ostrowski", "Baran", "Duda", "Szewczyk", "Tomaszewski", "Pietrzak",
    "Marciniak", "Wróblewski", "Zalewski", "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski",
    "Włodarczyk", "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański", "Kubiak", "Maciejewski",
    "Szczepański", "Kucharski", "Wilk", "Kalinowski", "Lis", "Mazurek", "Wysocki", "Adamski", "Kaźmierczak",
)

# How many volunteers each 2017–2018 library recruited (in the order of LIBRARIES_2017_2018): 312 in all.
_RECRUITED = (22, 18, 9, 15, 12, 20, 8, 14, 11, 16, 7, 13, 19, 10, 12, 17, 6, 14, 9, 11, 15, 8, 13, 13)

_FIRST_DAY_2017, _RECRUITMENT_DAYS = datetime.date(2017, 4, 3), 575  # until the end of October 2018
_END_2018 = datetime.date(2018, 12, 21)
_FIRST_DAY_2019 = datetime.date(2019, 3, 4)


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _surname(surname: str, woman: bool) -> str:
    return surname[:-1] + "a" if woman and surname.endswith("i") else surname


def _volunteers() -> tuple[tuple[Volunteer, ...], tuple[Membership, ...]]:
    volunteers: list[Volunteer] = []
    memberships: list[Membership] = []
    emails: set[str] = set()
    number = 0
    for place, (library, recruited) in enumerate(zip(LIBRARIES_2017_2018, _RECRUITED)):
        for n in range(recruited):
            number += 1
            woman = number % 20 < 13  # library volunteers are mostly women
            first = _WOMEN[(number * 7 + 3) % len(_WOMEN)] if woman else _MEN[(number * 5 + 1) % len(_MEN)]
            last = _surname(_SURNAMES[(number * 13 + 5) % len(_SURNAMES)], woman)
            email = f"{_ascii(first)}.{_ascii(last)}@example.org"
            if email in emails:
                email = f"{_ascii(first)}.{_ascii(last)}.{number}@example.org"
            emails.add(email)
            phone = f"+48 {500 + number % 300} {number * 37 % 1000:03d} {number * 91 % 1000:03d}" if number % 3 else None
            key = f"v{number:03d}"
            volunteers.append(Volunteer(key, first, last, email, phone))
            joined = _FIRST_DAY_2017 + datetime.timedelta(days=(n * _RECRUITMENT_DAYS) // recruited + place % 9)
            left = None
            if number % 9 == 4:  # about one in nine stops volunteering before the end of 2018
                left = min(joined + datetime.timedelta(days=45 + number * 17 % 200), _END_2018)
            memberships.append(Membership(key, library, LIBRARIES_2017, joined, left))
            if left is None and library in LIBRARIES_IN_2019 and number % 2 == 0:
                # Half of those still active in a library that continues carry on in the 3rd edition.
                joined_2019 = _FIRST_DAY_2019 + datetime.timedelta(days=number * 11 % 90)
                memberships.append(Membership(key, library, LIBRARIES_2019, joined_2019))
    return tuple(volunteers), tuple(memberships)


VOLUNTEERS, MEMBERSHIPS = _volunteers()


# -- what the summaries must then show ----------------------------------------------------------

def expected() -> dict[str, dict]:
    """Per edition key, the summary figures this data produces (the seeds' figures among them)."""
    figures: dict[str, dict] = {}
    for edition in EDITIONS:
        proposals = [p for p in PROPOSALS if p.edition == edition.key]
        memberships = [m for m in MEMBERSHIPS if m.edition == edition.key]
        institutions = {i for p in proposals for i in p.members} | set(ENROLMENTS.get(edition.key, ()))
        figures[edition.key] = {
            "partnerships": {
                "proposed": len(proposals),
                "mal_verified": sum(1 for p in proposals if p.mal and p.mal_verified),
                "funded": sum(1 for p in proposals if p.outcome == "granted"),
                "rejected": sum(1 for p in proposals if p.outcome == "rejected"),
                "withdrawn": sum(1 for p in proposals if p.outcome == "withdrawn"),
                "revoked": 0,  # the demo revokes and settles nothing
                "settled": 0,
            },
            "funding": {
                "requested_total": f"{sum((p.requested for p in proposals if p.outcome != 'withdrawn'), Decimal('0')):.2f}",
                "granted_total": f"{sum((p.granted for p in proposals if p.granted), Decimal('0')):.2f}",
                "revoked_total": "0.00",
                "spent_total": "0.00",
                "returned_total": "0.00",
            },
            "institutions": {"count": len(institutions)},
            "volunteers": {
                "joined": len({m.volunteer for m in memberships}),
                "active": len({m.volunteer for m in memberships if m.left_on is None}),
            },
        }
    return figures
