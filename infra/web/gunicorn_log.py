"""gunicorn's own messages (booting, a worker's timeout) as the same JSON lines as everything else (infra.logs)."""

from __future__ import annotations

from gunicorn import glogging


class JsonLogger(glogging.Logger):
    """Sends gunicorn's error log to the root logger; its access log stays off, as infra.web.observe writes one line
    per request that knows the principal and the trace."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.handlers[:] = []
            logger.propagate = True
