"""The applications domain: aggregates and the programme's rules (no I/O)."""
