"""Events of the applications service: editions, institutions, partnerships, enrolments."""

import datetime
from dataclasses import dataclass

from contracts.registry import public_event
from contracts.topics import APPLICATIONS
from contracts.types import (
    District,
    EditionKind,
    Hours,
    Id,
    InstitutionKind,
    Money,
    MonitoringStage,
    Programme,
    Round,
    Text,
    TrainingKind,
)


@dataclass(frozen=True)
class GrantCap:
    """The most a partnership of this many institutions may receive."""

    min_institutions: int
    max_institutions: int | None
    cap: Money


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class EditionOpened:
    """Otwarto edycję programu wraz z jej zasadami (limity dofinansowania, wymóg MAL, budżet, daty)."""

    edition_id: Id
    programme: Programme
    name: Text
    year: int
    round: Round | None
    kind: EditionKind
    mal_required: bool
    grant_caps: tuple[GrantCap, ...]
    budget: Money | None
    opens_on: datetime.date
    closes_on: datetime.date


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class EditionClosed:
    """Zamknięto edycję: nie przyjmuje już nowych wniosków ani zgłoszeń."""

    edition_id: Id


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class InstitutionRegistered:
    """Zarejestrowano instytucję miejską (bibliotekę, dom kultury, MAL, szkołę…)."""

    institution_id: Id
    name: Text
    kind: InstitutionKind
    district: District
    is_mal: bool


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class InstitutionDetailsChanged:
    """Poprawiono dane instytucji w rejestrze (nazwę, rodzaj, dzielnicę, bycie MAL); obowiązują od tej chwili."""

    institution_id: Id
    name: Text
    kind: InstitutionKind
    district: District
    is_mal: bool


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class PartnershipProposed:
    """Partnerstwo instytucji złożyło wniosek o dofinansowanie wspólnej inicjatywy."""

    partnership_id: Id
    edition_id: Id
    title: Text
    lead_institution_id: Id
    institution_ids: tuple[Id, ...]
    requested_amount: Money


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class PartnershipWithdrawn:
    """Partnerstwo wycofało wniosek; nic się w nim już nie zmieni."""

    partnership_id: Id
    edition_id: Id
    reason: Text


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class MALVerified:
    """Pracownik potwierdził udział Miejsca Aktywności Lokalnej (MAL) w partnerstwie."""

    partnership_id: Id
    edition_id: Id
    institution_id: Id


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class MALVerificationFailed:
    """Pracownik nie potwierdził udziału MAL w partnerstwie (z podanym powodem)."""

    partnership_id: Id
    edition_id: Id
    reason: Text
    institution_id: Id | None = None


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class InstitutionEnrolled:
    """Instytucja (np. filia biblioteki) została zgłoszona do edycji programu."""

    edition_id: Id
    institution_id: Id


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class EnrolmentWithdrawn:
    """Instytucja wycofała się z edycji (z podanym powodem); nie dostaje już nowych szkoleń, wizyt ani programu."""

    edition_id: Id
    institution_id: Id
    reason: Text


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class TrainingHeld:
    """Odbyło się szkolenie, wizyta studyjna albo spotkanie dla instytucji zgłoszonych do edycji."""

    training_id: Id
    edition_id: Id
    kind: TrainingKind
    title: Text
    held_on: datetime.date
    hours: Hours
    institution_ids: tuple[Id, ...]


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class MonitoringVisitMade:
    """Trener odwiedził instytucję zgłoszoną do edycji i ocenił etap wdrażania wolontariatu."""

    visit_id: Id
    edition_id: Id
    institution_id: Id
    visited_on: datetime.date
    stage: MonitoringStage


@public_event(topic=APPLICATIONS)
@dataclass(frozen=True)
class VolunteeringProgrammeAdopted:
    """Instytucja przyjęła swój program wolontariatu w edycji (raz)."""

    edition_id: Id
    institution_id: Id
    adopted_on: datetime.date
