"""The ``ledger`` command: one module per group of subcommands."""
