"""Fact tables of the reporting read model: one row per thing, one column group per event.

Every fact keeps the id, subject and time (the CloudEvent `time`) of the event that stated it, so
a summary "as of" any moment is a query with `<= as_of` on those times, and every figure can name
the events behind it. Rows are created by whichever event arrives first; every column is nullable
except the keys (and a partnership's edition, which each of its events carries). What may be stated
more than once (a correction of an institution's details, a final report returned and submitted
again) is kept as a history, a row per event, so a past moment still finds what held then.

The tables are defined by concept (stages, edition_facts, register_facts, partnership_facts, course_facts,
volunteer_facts, kept) and all re-exported here.
"""

from services.reporting.readmodel.course_facts import enrolments, monitoring_visits, training_attendance, trainings
from services.reporting.readmodel.edition_facts import editions
from services.reporting.readmodel.kept import Role, current_summaries, roster
from services.reporting.readmodel.partnership_facts import partnership_institutions, partnerships, settlement_steps
from services.reporting.readmodel.register_facts import institution_changes, institutions
from services.reporting.readmodel.stages import STATED_BY, Centihours, Grosze, SettlementStep, Stage, metadata
from services.reporting.readmodel.volunteer_facts import approved_hours, memberships

__all__ = [
    "STATED_BY", "TABLES", "Centihours", "Grosze", "Role", "SettlementStep", "Stage", "approved_hours", "current_summaries",
    "editions", "enrolments", "institution_changes", "institutions", "memberships", "metadata", "monitoring_visits",
    "partnership_institutions", "partnerships", "roster", "settlement_steps", "training_attendance", "trainings",
]

TABLES = (
    editions, institutions, institution_changes, partnerships, partnership_institutions, enrolments, memberships, settlement_steps,
    trainings, training_attendance, monitoring_visits, approved_hours, roster,
)

