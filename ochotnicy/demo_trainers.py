"""The demo loader's steps of the library editions' course: trainings, trainers' visits, programmes, withdrawals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ochotnicy import demo_data as data

if TYPE_CHECKING:
    from ochotnicy.demo import Loader


def record(loader: Loader) -> None:
    """The course after the volunteers joined: a withdrawn library takes no new volunteers, so withdrawals come last."""
    _trainings(loader)
    _visits_and_programmes(loader)
    _withdrawals(loader)


def _path(loader: Loader, edition: str, tail: str) -> str:
    return f"/editions/{loader.result.editions[edition]}/{tail}"


def _trainings(loader: Loader) -> None:
    def one(training: data.Training) -> tuple[str, str]:
        body = {"kind": training.kind, "title": training.title, "held_on": training.held_on.isoformat(),
                "hours": f"{training.hours:.2f}",
                "institution_ids": [loader.result.institutions[i] for i in training.institutions]}
        answer = loader.client.post("applications", _path(loader, training.edition, "trainings"), body,
                                    f"training:{training.key}")
        return training.key, answer.body["id"]

    loader.result.trainings.update(loader.each("Szkolenia i spotkania", data.TRAININGS, one))


def _visits_and_programmes(loader: Loader) -> None:
    """Each library's visits in the order they were made, then its programme: one after another, as they share a stream."""
    steps: tuple[data.Visit | data.Programme, ...] = (*data.VISITS, *data.PROGRAMMES)
    paths: dict[tuple[str, str], list[data.Visit | data.Programme]] = {}
    for item in steps:
        paths.setdefault((item.edition, item.institution), []).append(item)

    def one(key: tuple[str, str]) -> tuple[tuple[str, str], None]:
        edition, library = key
        institution = loader.result.institutions[library]
        for item in paths[key]:
            if isinstance(item, data.Visit):
                body = {"institution_id": institution, "visited_on": item.visited_on.isoformat(), "stage": item.stage}
                loader.client.post("applications", _path(loader, edition, "monitoring-visits"), body, f"visit:{item.key}")
            else:
                loader.client.post("applications", _path(loader, edition, f"enrolments/{institution}/programme"),
                                   {"adopted_on": item.adopted_on.isoformat()}, f"programme:{edition}:{library}",
                                   accept={"programme_adopted"})
        return key, None

    loader.each("Wizyty trenerów i programy", paths, one)


def _withdrawals(loader: Loader) -> None:
    def one(withdrawal: data.Withdrawal) -> tuple[str, None]:
        institution = loader.result.institutions[withdrawal.institution]
        loader.client.post("applications", _path(loader, withdrawal.edition, f"enrolments/{institution}/withdraw"),
                           {"reason": withdrawal.reason}, f"withdraw:{withdrawal.edition}:{withdrawal.institution}",
                           accept={"withdrawn"})
        return withdrawal.institution, None

    loader.each("Wycofania bibliotek", data.WITHDRAWALS, one)
