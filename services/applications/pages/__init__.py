"""The applications service's staff pages: editions, the institution register, partnerships, MAL checks, enrolments.

Each form sends the same command through the same handler as the API (infra.web.workspace.forms).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from contracts import vocabulary
from contracts.applications import GrantCap
from contracts.vocabulary import EditionKind, EditionStatus, MalStatus, PartnershipStatus
from infra import polish
from infra.web.app import read
from infra.web.workspace import Pages, page_error
from services.applications import queries

WRITE = "applications:write"

bp = Pages("applications_pages", __name__, template_folder="../templates")


@bp.context_processor
def _words() -> dict[str, Any]:
    return {"count": polish.count}


KINDS = [(kind, polish.INSTITUTION_KIND[kind]) for kind in vocabulary.INSTITUTION_KINDS]
DISTRICTS = [(district, district) for district in vocabulary.DISTRICTS]
PROGRAMMES = [(programme, polish.PROGRAMMES[programme]) for programme in vocabulary.PROGRAMMES]
ROUNDS = [("", polish.ROUNDS[None]), *((r, polish.ROUNDS[r]) for r in vocabulary.ROUNDS)]
EDITION_KINDS = [(EditionKind.PARTNERSHIP.value, "nabór wniosków partnerstw"),
                 (EditionKind.ENROLMENT.value, "zgłoszenia pojedynczych instytucji")]
EDITION_STATUS = {EditionStatus.OPEN: "otwarta", EditionStatus.CLOSED: "zamknięta"}
PARTNERSHIP_STATUS = {PartnershipStatus.PROPOSED: "złożony", PartnershipStatus.WITHDRAWN: "wycofany"}
MAL_STATUS = {MalStatus.NOT_REQUIRED: "niewymagany", MalStatus.PENDING: "czeka na weryfikację",
              MalStatus.VERIFIED: "potwierdzony", MalStatus.FAILED: "niepotwierdzony"}
TRAINING_KINDS = {"training": "szkolenie", "study_visit": "wizyta studyjna", "meeting": "spotkanie"}
STAGES = {"diagnosis": "diagnoza", "planning": "planowanie", "implementation": "wdrażanie", "evaluation": "ewaluacja"}
"""The course's vocabularies (contracts.vocabulary.TrainingKind, MonitoringStage) as staff say them."""
CAP_ROWS = 3
"""How many size brackets the edition form offers (rows left blank are not sent)."""


def _names(session: Session, kinds: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Institutions as a form offers them: by name, with the district that tells namesakes apart."""
    found = sorted(queries.institution_list(session), key=lambda i: (i["name_key"], i["district"]))
    return [(i["id"], f"{i['name']} ({i['district']})") for i in found if not kinds or i["kind"] in kinds]


def _with_leads(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Partnerships with their lead institution's name (lead_name)."""
    names = read(queries.institution_facts, sorted({p["lead_institution_id"] for p in found}))
    for p in found:
        p["lead_name"] = names[p["lead_institution_id"]].name if p["lead_institution_id"] in names else "–"
    return found


def _caps(edition: dict[str, Any]) -> list[tuple[str, Any]]:
    caps = [GrantCap(**cap | {"cap": Decimal(cap["cap"])}) for cap in edition["grant_caps"]]
    return [(polish.bracket_label(cap), cap.cap) for cap in sorted(caps, key=lambda c: c.min_institutions)]


def _edition_or_404(edition_id: str) -> dict[str, Any] | None:
    return read(queries.edition, edition_id)


def _not_found(what: str) -> Any:
    return page_error(404, "Nie znaleziono", f"Nie ma {what}. Wróć do listy i wybierz z niej.")


# -- the start page ------------------------------------------------------------------------------



# The pages, by concept; importing them registers their routes on `bp`.
from services.applications.pages import editions, enrolments, institutions, partnerships, trainings  # noqa: E402,F401
