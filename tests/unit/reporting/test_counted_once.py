"""Every figure a programme's total counts once has a place in the roster (issue 27)."""

from services.reporting.readmodel import Role
from services.reporting.readmodel.counted_once import ROLE_OF
from services.reporting.readmodel.figures import MEASURES, Aggregate


def test_every_distinct_measure_is_read_from_a_role_of_its_own():
    distinct = {field for field, measure in MEASURES.items() if measure.aggregate is Aggregate.DISTINCT}
    assert set(ROLE_OF) == distinct
    assert len(set(ROLE_OF.values())) == len(ROLE_OF) and Role.NAMED not in ROLE_OF.values()

