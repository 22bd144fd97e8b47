"""Volunteers: volunteers, memberships, and personal data kept safe."""
