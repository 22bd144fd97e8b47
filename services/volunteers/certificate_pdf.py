"""A certificate of volunteering as a one-page A4 PDF in Polish (fpdf2), with DejaVu Sans embedded for its letters."""

from __future__ import annotations

import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from infra import polish
from services.volunteers.certificate import Certificate
from services.volunteers.domain.hours import month_named

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
ACT = "ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie"
MONTHS_GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
                   "października", "listopada", "grudnia")


def day_in_words(value: datetime.date) -> str:
    """1 października 2021 r."""
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} r."


def period(certificate: Certificate) -> str:
    """"od 1 października 2021 r. do 31 grudnia 2021 r.", or "… do dziś" while the membership goes on."""
    until = day_in_words(certificate.left_on) if certificate.left_on is not None else "dziś (wolontariat trwa)"
    return f"od {day_in_words(certificate.joined_on)} do {until}"


def hours(value) -> str:
    """12,5 h"""
    return f"{polish.decimal(value)} h"


class _Pages(FPDF):
    """A4 whose every page says where it comes from and which page of how many it is."""

    def __init__(self, membership_id: str) -> None:
        super().__init__(format="A4")
        self._membership_id = membership_id

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 7)
        self.cell(0, 4, f"Przygotowano w systemie Ochotnicy warszawscy (Urząd m.st. Warszawy) · członkostwo "
                        f"{self._membership_id} · strona {self.page_no()} z {{nb}}", align="C")


def render(certificate: Certificate) -> bytes:
    """The PDF's bytes. Its metadata names no one: a file's properties travel further than its page."""
    pdf = _Pages(certificate.membership_id)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_lang("pl")
    pdf.set_title("Zaświadczenie o wykonywaniu świadczeń wolontariusza")
    pdf.set_creator("Ochotnicy warszawscy")
    pdf.set_creation_date(datetime.datetime.combine(certificate.issued_on, datetime.time(), datetime.timezone.utc))
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float = 11, style: str = "", align: str = "L", gap: float = 1.5) -> None:
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(width, size * 0.55, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    line(f"Warszawa, {day_in_words(certificate.issued_on)}", 10, align="R", gap=10)
    line("ZAŚWIADCZENIE", 18, "B", "C", 1)
    line("o wykonywaniu świadczeń wolontariusza", 13, "B", "C", 1)
    line(f"(art. 44 {ACT})", 9, align="C", gap=10)
    line("Zaświadcza się, że")
    line(certificate.full_name, 14, "B", "C", 1)
    if certificate.birth_date is not None:
        line(f"urodzony(a) {day_in_words(certificate.birth_date)}", 10, align="C")
    pdf.ln(4)
    where = " w inicjatywie partnerstwa" if certificate.partnership else ""
    line(f"wykonywał(a) świadczenia wolontariusza na rzecz instytucji „{certificate.institution}”{where}, "
         f"w ramach edycji „{certificate.edition}” programu Ochotnicy warszawscy, {period(certificate)}.", gap=6)
    _hours_table(pdf, certificate, width)
    pdf.ln(6)
    line("Zaświadczenie wydaje się na prośbę wolontariusza.", 10, gap=22)
    pdf.set_font(FONT, "", 9)
    pdf.set_x(pdf.l_margin + width / 2)
    pdf.cell(width / 2, 5, "." * 60, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + width / 2)
    pdf.cell(width / 2, 5, "podpis i pieczęć korzystającego (instytucji)", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _hours_table(pdf: FPDF, certificate: Certificate, width: float) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.cell(width, 7, "Zatwierdzone godziny wolontariatu", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    if not certificate.months:
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(width, 6, "W tym członkostwie nie zatwierdzono jeszcze godzin.", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        return
    pdf.set_font(FONT, "", 10)
    with pdf.table(col_widths=(3, 1), text_align=("LEFT", "RIGHT"), line_height=6.5, width=width * 0.7,
                   align="LEFT", first_row_as_headings=True) as table:
        table.row(("Miesiąc", "Godziny"))
        for month, approved in certificate.months:
            table.row((month_named(month), hours(approved)))
        total = table.row()
        for text in ("Łącznie", hours(certificate.total)):
            total.cell(text, style=FontFace(emphasis="BOLD"))
