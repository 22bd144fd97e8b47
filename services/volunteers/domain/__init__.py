"""The volunteers domain: volunteers and memberships (no I/O)."""
