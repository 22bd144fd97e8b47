"""Applications: editions, institutions, partnerships, MAL verification, enrolments."""
