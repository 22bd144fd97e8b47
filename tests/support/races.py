"""Two commands racing on a real database: the second sent while the first's transaction is still open."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


def second_waits(service: Any, first: Any, second: Any, expected: type[Exception] = Exception) -> Any:
    """Handles `first`, pausing inside its commit (events written, transaction open), and sends `second` meanwhile.

    Asserts that `second` waits for `first` to end, and gives what `second` answered: its result, or the `expected`
    exception it raised.
    """
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def pause(_uow: Any) -> None:
        holding.set()
        release.wait(10)

    def run(name: str, command: Any, **options: Callable[[Any], None]) -> Callable[[], None]:
        def handle() -> None:
            try:
                outcome[name] = service.bus.handle(command, **options)
            except expected as error:
                outcome[name] = error
        return handle

    one = threading.Thread(target=run("first", first, answer=pause))
    two = threading.Thread(target=run("second", second))
    one.start()
    try:
        assert holding.wait(10), "the first command did not reach its commit"
        two.start()
        time.sleep(0.5)
        assert two.is_alive(), "the second command did not wait for the first"
    finally:
        release.set()
        one.join(10)
    two.join(10)
    return outcome["second"]
