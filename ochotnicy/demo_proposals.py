"""The demonstration's partnership proposals: the 2021 rounds (24 and 15 funded, as the seeds say) and the 2022
round that followed, and what became of each."""

from __future__ import annotations

from decimal import Decimal

from ochotnicy.demo_editions import AUTUMN, SPRING, SPRING_2022
from ochotnicy.demo_institutions import BP_WLOCHY, DK_WLOCHY, OPP_OCHOTA, POD_SKRZYDLAMI, SURMA
from ochotnicy.demo_model import Proposal


def _granted(key, edition, title, members, requested, granted=None, mal=None, withdrew: str | None = None) -> Proposal:
    """A granted proposal (`withdrew`: the reason it withdrew after the grant, which funding then revoked)."""
    requested = Decimal(requested)
    return Proposal(key, edition, title, tuple(members), requested, "revoked" if withdrew else "granted",
                    granted=Decimal(granted) if granted else requested, mal=mal, reason=withdrew)


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
    # 2022 spring round: no MAL requirement; 9 granted, one of them withdrawn after its grant (revoked), 1 rejected.
    _granted("q01", SPRING_2022, "Sąsiedzka biblioteka na Jelonkach", ["lib-bemowo-60", "mal-bemowo", "sp-bemowo"],
             "6000.00"),
    _granted("q02", SPRING_2022, "Białołęka czyta razem", ["lib-bialoleka-118", "ngo-bialoleka", "dk-bialoleka"], "5400.00"),
    _granted("q03", SPRING_2022, "Pokolenia na Bielanach", ["dps-bielany", "sp-bielany", "lib-bielany-40", "mal-bielany"],
             "9200.00", "9000.00"),
    _granted("q04", SPRING_2022, "Mokotowskie warsztaty wolontariatu", ["ngo-mokotow", "lib-mokotow-29"], "4000.00"),
    _granted("q05", SPRING_2022, "Praga pomaga", ["ngo-ppn", "mal-ppn", "lib-ppn-97"], "6000.00",
             withdrew="Lider partnerstwa zawiesił działalność, a partnerzy nie podjęli się realizacji projektu."),
    _granted("q06", SPRING_2022, "Ursynowskie kino plenerowe", ["ngo-ursynow", "dk-ursynow", "mal-ursynow", "sp-ursynow"],
             "8800.00"),
    _granted("q07", SPRING_2022, "Wawerskie ścieżki przyrodnicze", ["ngo-wawer", "sp-wawer"], "3900.00"),
    _granted("q08", SPRING_2022, "Wolskie podwórka czytelnicze", ["ngo-wola", "lib-wola-36", "dk-wola"], "5600.00", "5500.00"),
    _granted("q09", SPRING_2022, "Żoliborz dla sąsiadów", ["mal-zoliborz", "dk-zoliborz", "sp-zoliborz", "lib-zoliborz-48",
                                                           "lib-zoliborz-53"], "9800.00"),
    Proposal("q10", SPRING_2022, "Planszówki na Targówku", ("lib-targowek-111", "sp-targowek"), Decimal("3000.00"),
             "rejected", reason="Budżet projektu nie przewiduje działań wolontariuszy: wniosek nie realizuje celu programu."),
)
