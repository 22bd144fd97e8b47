"""Documents about a volunteer: a membership's certificate (PDF) and everything held about them (JSON, RODO)."""

from flask import Response

from infra.web.app import read
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.volunteers import certificate, certificate_pdf, clock, export
from services.volunteers.schemas import CertificateQuery, ExportOut

WRITE = "volunteers:write"

blp = Blueprint(
    "documents",
    __name__,
    url_prefix="/api/v1/volunteers",
    description="Dokumenty o wolontariuszu (tylko volunteers:write): zaświadczenie o wykonywaniu świadczeń "
    "wolontariusza i wszystkie dane o osobie (RODO, art. 15 i 20). Każde ich wydanie zapisuje rejestr dostępu.",
)


@blp.after_request
def _not_kept(response):
    response.headers["Cache-Control"] = "no-store"  # both hold the person's data
    return response


@blp.route("/<uuid:volunteer_id>/certificate")
@requires(WRITE)
@blp.arguments(CertificateQuery, location="query")
@blp.doc(responses={"200": {"description": "Zaświadczenie (PDF, A4, po polsku)", "content": {"application/pdf": {}}}})
def certificate_of(query, volunteer_id):
    """Zaświadczenie o wykonywaniu świadczeń wolontariusza w członkostwie (PDF): instytucja, okres, zatwierdzone godziny

    Godziny tylko zatwierdzone, miesiąc po miesiącu, z sumą; okres od dołączenia do odejścia albo „do dziś”.
    Rejestr dostępu zapisuje wydanie (certificate). Po usunięciu danych osoby: 409 volunteer_erased."""
    made = read(certificate.of, volunteer_id, query["membership_id"], clock.today())
    response = Response(certificate_pdf.render(made), content_type="application/pdf")
    # The file's name says whose membership, never whose name: it lands in download folders and their listings.
    response.headers["Content-Disposition"] = f'attachment; filename="zaswiadczenie-{made.membership_id[:8]}.pdf"'
    return response


@blp.route("/<uuid:volunteer_id>/export")
@requires(WRITE)
@blp.response(200, ExportOut)
def export_of(volunteer_id):
    """Wszystko, co system przechowuje o osobie, jako JSON (RODO, art. 15 i 20): do wglądu lub przeniesienia

    Dane osobowe (odszyfrowane), członkostwa z dokumentami, każdy wpis godzin ze statusem lub powodem odrzucenia,
    historia każdego zdarzenia o tej osobie (kiedy, kto, co zmieniła poprawka) i rejestr dostępu do jej danych.
    Rejestr dostępu zapisuje wydanie (exported)."""
    found = read(export.everything, volunteer_id, clock.today())
    if found is None:
        abort(404, message=f"Nie ma wolontariusza {volunteer_id}.")
    return found
