"""Alembic migrations: the shared event-store tables, and each service's own on top."""
