"""Funding: funding cases, eligibility, caps and budget."""
