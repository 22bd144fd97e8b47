"""The funding domain: cases, eligibility, caps and the edition budget (no I/O)."""
