"""`make run`: the broker and every service from the Procfile, under honcho, plus the demo data."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

from honcho.environ import parse_procfile
from honcho.manager import Manager
from honcho.printer import Printer

from infra import config

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) == 0


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def _environment(settings: config.Settings, process: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["OCHOTNICY_DATA_DIR"] = str(settings.data_dir)
    env.setdefault("PYTHONUNBUFFERED", "1")
    service = process.split("-")[0]
    if service in config.SERVICES:
        # web and worker of one service share a directory, so /metrics shows both.
        env["PROMETHEUS_MULTIPROC_DIR"] = str(settings.data_dir / "metrics" / service)
    return env


def _banner(settings: config.Settings, services: list[str]) -> str:
    lines = ["", "Ochotnicy działa / the local stack is up:",
             f"  zaloguj się   {settings.service_urls[services[0]]}/signin  (pick a demo staff member; one sign-in serves all)"]
    for name in services:
        lines.append(f"  {name:<13} {settings.service_urls[name]}/api/v1/docs")
    lines += [
        f"  broker        {settings.kafka_bootstrap} (Tansu, memory only)",
        f"  data          {settings.data_dir}",
        "",
        "  token:  .venv/bin/ochotnicy token --role applications:write --role funding:write",
        "  replay: .venv/bin/ochotnicy audit replay",
        "  stop:   Ctrl-C",
        "",
    ]
    return "\n".join(lines)


def _after_start(settings: config.Settings, services: list[str], demo: bool, printer: Printer) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not all(_healthy(settings.service_urls[s]) for s in services):
        time.sleep(0.5)
    if demo:
        try:
            from ochotnicy import demo as demo_data
        except ImportError:
            demo_data = None
        if demo_data is not None:
            demo_data.load_once(settings)
    print(_banner(settings, services), flush=True)


def run(demo: bool = True) -> int:
    settings = config.load("cli")
    processes = parse_procfile(PROCFILE.read_text()).processes
    host, port = settings.kafka_bootstrap.split(":")
    if _port_taken(host, int(port)):
        print(f"Port {port} is taken: is another broker or `make run` still running?", file=sys.stderr)
        return 1
    for name, port in config.SERVICES.items():
        if any(p.startswith(name) for p in processes) and _port_taken("127.0.0.1", port):
            print(f"Port {port} ({name}) is taken: is another `make run` still running?", file=sys.stderr)
            return 1
    metrics = settings.data_dir / "metrics"
    shutil.rmtree(metrics, ignore_errors=True)
    for name in config.SERVICES:
        (metrics / name).mkdir(parents=True, exist_ok=True)
    printer = Printer(sys.stdout)
    manager = Manager(printer)
    for name, command in processes.items():
        manager.add_process(name, command, env=_environment(settings, name), cwd=str(ROOT))
    services = [s for s in config.SERVICES if any(p.startswith(f"{s}-web") for p in processes)]
    threading.Thread(target=_after_start, args=(settings, services, demo, printer), daemon=True).start()
    manager.loop()
    return manager.returncode or 0
