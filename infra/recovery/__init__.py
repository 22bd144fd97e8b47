"""After a service's database is restored from a backup: bring back what Kafka holds beyond it, and refuse to go on
without doing so (docs/operations.md, "Backup and restore")."""
