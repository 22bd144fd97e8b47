"""Two consumers applying batches at once (PostgreSQL): the kept summary still counts every committed fact."""

from __future__ import annotations

import threading

import pytest

from contracts.applications import InstitutionEnrolled, InstitutionRegistered
from services.reporting.readmodel import queries
from services.reporting.readmodel.projection import projector
from tests.integration.reporting.scenario import at, edition_opened, new_id, proposed, wrap

WAIT = 1.0  # long enough for a second batch that does not wait to commit; it has no reason to take longer


def proposal(edition_id: str, *members: str):
    return wrap(proposed(edition_id, members), time=at("2021-09-10 10:00"))


def registration(institution_id: str):
    return wrap(InstitutionRegistered(institution_id, "Biblioteka na Woli", "library", "Wola", False),
                time=at("2021-08-01 09:00"))


def open_batch_then(feed, first, second) -> bool:
    """Applies `first` in a transaction held open while another consumer applies `second`; then commits both.

    Returns whether `second` had to wait for `first` to commit.
    """
    other = threading.Thread(target=feed.batch, args=(second,))
    with feed.service.runtime.sessions() as session:
        projector.apply_batch(session, first)
        other.start()
        other.join(WAIT)
        waited = other.is_alive()
        session.commit()
    other.join(30)
    assert not other.is_alive()
    return waited


def kept_and_computed(feed, edition_id: str) -> tuple[dict, dict]:
    with feed.service.read() as session:
        kept = queries.kept_summary(session, edition_id)
        computed = queries.compute(session, queries.edition_rows(session, [edition_id]), None)[0]
    return ({k: kept[k] for k in ("partnerships", "institutions")},
            {k: computed[k] for k in ("partnerships", "institutions")})


@pytest.fixture(autouse=True)
def _postgres_only(service):
    if service.runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")


def test_a_second_batch_of_an_edition_recomputes_its_summary_after_the_first_committed(feed, edition):
    library, school = new_id(), new_id()
    feed.batch([registration(library), registration(school)])
    assert open_batch_then(feed, [proposal(edition, library)], [proposal(edition, school)])
    kept, computed = kept_and_computed(feed, edition)
    assert kept == computed
    assert kept["partnerships"]["proposed"] == 2


def test_a_registration_waits_for_an_open_batch_naming_the_institution_and_counts_it(feed, edition):
    institution = new_id()
    assert open_batch_then(feed, [proposal(edition, institution)], [registration(institution)])
    kept, computed = kept_and_computed(feed, edition)
    assert kept == computed
    assert kept["institutions"]["by_kind"] == {"library": 1}


def test_a_registration_waits_for_an_open_enrolment_of_the_institution(feed, edition):
    institution = new_id()
    enrolled = wrap(InstitutionEnrolled(edition, institution), time=at("2021-09-02 10:00"))
    assert open_batch_then(feed, [enrolled], [registration(institution)])
    kept, _ = kept_and_computed(feed, edition)
    assert kept["institutions"]["by_district"] == {"Wola": 1}


def test_batches_naming_institutions_do_not_wait_for_each_other_before_the_summary(feed, edition):
    """Only the summary's row is shared: two batches of different editions run side by side."""
    another = new_id()
    feed.batch([wrap(edition_opened(another, name="Partnerstwa 2021 – druga"), time=at("2021-09-01 08:00"))])
    assert not open_batch_then(feed, [proposal(edition, new_id())], [proposal(another, new_id())])
