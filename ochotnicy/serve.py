"""Runs one service's web process (gunicorn) or worker process (relay and consumers)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from infra import collector, config, logs, metrics, spec
from infra.web import gunicorn_log, workers
from infra.web.app import create_app

SERVICES = tuple(config.SERVICES)


class _Gunicorn(BaseApplication):
    def __init__(self, factory, options: dict) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._factory()


def _post_worker_init(_worker) -> None:
    collector.freeze_start_up()  # the app is built by now


def _child_exit(_server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def options(settings: config.Settings, name: str) -> dict:
    """The gunicorn settings of every web process (the benchmark's bare endpoint uses them too)."""
    return {
        "bind": f"{settings.http_host}:{settings.http_port}",
        "workers": settings.web_workers,
        "threads": settings.web_threads,
        # Threads serve only requests that have arrived whole: a slow client costs a socket, never a thread.
        "worker_class": workers.thread_worker(settings.http_header_timeout_s, settings.http_body_timeout_s),
        "proc_name": f"ochotnicy-{name}-web",
        "accesslog": None,  # infra.web.observe writes one line per request
        "logger_class": gunicorn_log.JsonLogger,
        "graceful_timeout": 20,
        "timeout": 60,
        "post_worker_init": _post_worker_init,
        # Its management socket has one default path per user: the four web processes of `make run` would share it.
        "control_socket_disable": True,
    }


def gunicorn(factory, settings: config.Settings, name: str) -> None:
    """Serves the app `factory` builds, built in each gunicorn worker (no shared connections)."""
    chosen = options(settings, name)
    if settings.metrics_dir:
        chosen["child_exit"] = _child_exit
    _Gunicorn(factory, chosen).run()


_claimed: list = []
"""The metrics directory's lock, held (and inherited by gunicorn's workers) for the life of the process."""


def _metrics_directory(settings: config.Settings) -> config.Settings:
    """Makes the multi-process metrics directory, emptied of earlier processes' files (prometheus-client needs both)."""
    if settings.metrics_dir:
        _claimed.append(metrics.claim_directory(settings.metrics_dir))
    return settings


def web(service: str) -> None:
    """gunicorn serving the service's app on its port."""
    settings = _metrics_directory(config.load(service))
    logs.configure(service, settings.log_level)  # gunicorn's own lines too (gunicorn_log.JsonLogger)
    gunicorn(lambda: create_app(spec.load(service).bootstrap(guard=True)), settings, service)


def worker(service: str) -> None:
    """The service's relay and consumers, until SIGTERM."""
    from infra import worker as runner

    _metrics_directory(config.load(service))
    runner.run(lambda: spec.load(service).bootstrap(guard=True).worker_loops())
