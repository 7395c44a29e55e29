"""The event store: the library's PostgreSQL recorder extended with the ledger's chain."""
