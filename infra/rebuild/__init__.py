"""Bulk rebuild of a read model: the live projectors' functions folded over the whole log, written in bulk."""
