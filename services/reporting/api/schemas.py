"""Query parameters and response bodies of the reporting API."""

from marshmallow import Schema, fields

from infra.web import fields as f
from services.reporting.moments import HELP

AS_OF = (
    "Stan na wskazany moment, porównywany z czasem zdarzeń (atrybut `time` CloudEvents: kiedy fakt "
    "zaszedł w usłudze, która go zapisała). " + HELP + " Bez parametru: wszystko, co dotąd dotarło."
)


class _Query(f.Schema):
    error_messages = {"unknown": "Nieznany parametr."}


class NoQuery(_Query):
    """An endpoint that takes no parameter (one given is refused by name)."""


class SummaryQuery(_Query):
    as_of = fields.String(required=False, metadata={"description": AS_OF, "example": "2021-12-31"})


class SourcesQuery(_Query):
    field = fields.String(
        required=True,
        error_messages={"required": "Podaj pole podsumowania, np. field=partnerships.funded."},
        metadata={
            "description": "Pole podsumowania, np. `partnerships.funded`, `funding.granted_total`, `partnerships.revoked`, "
            "`funding.spent_total`, `institutions.by_kind.library`, `institutions.by_district.Wola`, `volunteers.active`.",
            "example": "partnerships.funded",
        },
    )
    as_of = fields.String(required=False, metadata={"description": AS_OF})


class PartnershipCounts(Schema):
    proposed = fields.Integer(metadata={"description": "zgłoszone (także wycofane)"})
    mal_verified = fields.Integer(metadata={"description": "z MALVerified"})
    funded = fields.Integer(metadata={
        "description": "z dofinansowaniem w mocy: z FundingGranted, bez późniejszego FundingRevoked (cofnięte liczy `revoked`)"})
    rejected = fields.Integer(metadata={"description": "z FundingRejected"})
    withdrawn = fields.Integer(metadata={"description": "wycofane"})
    revoked = fields.Integer(metadata={
        "description": "z cofniętym dofinansowaniem (FundingRevoked: partnerstwo wycofało się po decyzji albo urząd je cofnął); "
        "nie liczą się już w `funded`"})
    settled = fields.Integer(metadata={"description": "rozliczone: z przyjętym sprawozdaniem końcowym (FundingSettled)"})


class FundingTotals(Schema):
    requested_total = fields.String(metadata={"description": "suma wniosków partnerstw niewycofanych, PLN", "example": "6000.00"})
    granted_total = fields.String(metadata={
        "description": "suma dofinansowań w mocy (przyznanych i niecofniętych), PLN; "
        "`granted_total` + `revoked_total` to wszystko, co kiedykolwiek przyznano", "example": "6000.00"})
    revoked_total = fields.String(metadata={"description": "suma cofniętych dofinansowań (kwoty z FundingRevoked), PLN", "example": "0.00"})
    spent_total = fields.String(metadata={
        "description": "suma kwot wydanych według przyjętych sprawozdań końcowych (FundingSettled), PLN", "example": "5400.00"})
    returned_total = fields.String(metadata={
        "description": "suma kwot niewydanych, do zwrotu według przyjętych sprawozdań końcowych (FundingSettled), PLN",
        "example": "600.00"})


class InstitutionCounts(Schema):
    count = fields.Integer(metadata={"description": "różne instytucje wymienione w partnerstwach edycji lub do niej zgłoszone"})
    by_kind = fields.Dict(keys=fields.String(), values=fields.Integer(),
                          metadata={"description": "wg rodzaju; `unknown`: rejestracja instytucji jeszcze nie dotarła"})
    by_district = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"description": "wg dzielnicy; `unknown`: rejestracja instytucji jeszcze nie dotarła"})


class VolunteerCounts(Schema):
    joined = fields.Integer(metadata={"description": "różni wolontariusze, którzy kiedykolwiek dołączyli"})
    active = fields.Integer(metadata={"description": "różni wolontariusze z członkostwem niezakończonym"})
    hours_approved = fields.String(metadata={
        "description": "suma zatwierdzonych godzin wolontariatu (VolunteerHoursApproved), dwa miejsca po przecinku", "example": "12.50"})


class TrainingCounts(Schema):
    sessions = fields.Integer(metadata={"description": "szkolenia, wizyty studyjne i spotkania (TrainingHeld)"})
    hours = fields.String(metadata={"description": "suma ich godzin (każde raz), dwa miejsca po przecinku", "example": "24.00"})
    institutions_trained = fields.Integer(metadata={"description": "różne instytucje obecne na co najmniej jednym z nich"})
    monitoring_visits = fields.Integer(metadata={"description": "wizyty monitorujące trenerów (MonitoringVisitMade)"})
    institutions_visited = fields.Integer(metadata={"description": "różne instytucje odwiedzone co najmniej raz"})
    programmes_adopted = fields.Integer(metadata={
        "description": "różne instytucje, które przyjęły program wolontariatu (VolunteeringProgrammeAdopted)"})


WITHDRAWN_COUNTS = (
    "Instytucja, która wycofała się z edycji (EnrolmentWithdrawn), pozostaje policzona w tym, co zrobiła przed wycofaniem: "
    "w instytucjach, w przeszkolonych, odwiedzonych i w przyjętych programach."
)


class SummaryOut(Schema):
    edition_id = fields.String()
    programme = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    round = fields.String(allow_none=True)
    partnerships = fields.Nested(PartnershipCounts)
    funding = fields.Nested(FundingTotals)
    institutions = fields.Nested(InstitutionCounts)
    volunteers = fields.Nested(VolunteerCounts)
    training = fields.Nested(TrainingCounts, metadata={"description": "przebieg edycji naboru (zera w edycjach bez szkoleń). "
                                                                     + WITHDRAWN_COUNTS})
    as_of = fields.String(metadata={"description": "moment, którego dotyczy podsumowanie (UTC, ISO 8601)"})


class SourceOut(Schema):
    event_id = fields.String()
    type = fields.String()
    time = fields.String()
    subject = fields.String()
    contributes = fields.Dict(metadata={"description": "co to zdarzenie wnosi do liczby"})


class SourcesOut(Schema):
    edition_id = fields.String()
    field = fields.String()
    value = fields.Raw(metadata={"description": "wartość pola w podsumowaniu (liczba albo kwota jako tekst)"})
    derivation = fields.String(metadata={"description": "jak wartość wynika ze źródeł: count distinct …, sum amount"})
    explanation = fields.String()
    as_of = fields.String()
    sources = fields.List(fields.Nested(SourceOut))


class ProgrammeQuery(_Query):
    from_year = f.integer(required=False, minimum=2000, maximum=2100, strict=False,
                          metadata={"description": "pierwszy rok (bez parametru: rok pierwszej edycji programu)", "example": 2017})
    to_year = f.integer(required=False, minimum=2000, maximum=2100, strict=False,
                        metadata={"description": "ostatni rok (bez parametru: rok ostatniej edycji programu)", "example": 2018})
    as_of = fields.String(required=False, metadata={"description": AS_OF + " Liczą się edycje otwarte do tego momentu."})


class ProgrammeSourcesQuery(ProgrammeQuery, SourcesQuery):
    pass


class EditionRef(Schema):
    edition_id = fields.String()
    name = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    round = fields.String(allow_none=True)


ONCE = ("Każda liczba policzona raz w edycjach tych lat: instytucja obecna w dwóch edycjach to jedna instytucja, "
        "wolontariusz, który dołączył w dwóch edycjach, to jeden wolontariusz.")


class ProgrammeSummaryOut(Schema):
    programme = fields.String()
    from_year = fields.Integer(allow_none=True, metadata={"description": "null: program nie ma jeszcze edycji"})
    to_year = fields.Integer(allow_none=True)
    editions = fields.List(fields.Nested(EditionRef), metadata={"description": "edycje programu z tych lat, od najstarszej"})
    partnerships = fields.Nested(PartnershipCounts)
    funding = fields.Nested(FundingTotals)
    institutions = fields.Nested(InstitutionCounts, metadata={"description": ONCE})
    volunteers = fields.Nested(VolunteerCounts, metadata={"description": ONCE})
    training = fields.Nested(TrainingCounts)
    as_of = fields.String(metadata={"description": "moment, którego dotyczą liczby (UTC, ISO 8601)"})


class ProgrammeSourcesOut(Schema):
    programme = fields.String()
    from_year = fields.Integer(allow_none=True)
    to_year = fields.Integer(allow_none=True)
    edition_ids = fields.List(fields.String())
    field = fields.String()
    value = fields.Raw()
    derivation = fields.String()
    explanation = fields.String()
    as_of = fields.String()
    sources = fields.List(fields.Nested(SourceOut))
