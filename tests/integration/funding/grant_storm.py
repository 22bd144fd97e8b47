"""Fires many grants at once from threads; run as a second process by the budget concurrency test.

    python -m tests.integration.funding.grant_storm DATABASE_URL '[["<partnership id>", "5000.00"], …]'

prints "ready", waits for a line on stdin, fires, then prints the answers as one JSON line.
"""

from __future__ import annotations

import sys
import threading

import orjson

from tests.support.apps import Client, service_app


def fire(app, grants, go: threading.Event) -> list[dict]:
    """Each grant from its own thread and HTTP client, all released by `go` at once."""
    answers: list[dict] = []
    lock = threading.Lock()

    def one(partnership_id: str, amount: str) -> None:
        client = Client(app, "funding:write")
        go.wait()
        response = client.post(f"/api/v1/cases/{partnership_id}/grant", json={"amount": amount})
        body = response.get_json(silent=True) or {}
        with lock:
            answers.append({"partnership_id": partnership_id, "status": response.status_code, "rule": body.get("rule")})

    threads = [threading.Thread(target=one, args=grant) for grant in grants]
    for thread in threads:
        thread.start()
    return answers, threads


def main() -> None:
    url, grants = sys.argv[1], orjson.loads(sys.argv[2])
    _, app = service_app("funding", url)
    go = threading.Event()
    answers, threads = fire(app, grants, go)
    print("ready", flush=True)
    sys.stdin.readline()
    go.set()
    for thread in threads:
        thread.join(timeout=120)
    print(orjson.dumps(answers).decode(), flush=True)


if __name__ == "__main__":
    main()
