"""Performance Ledger: an event-sourced, tamper-evident ledger of employee performance."""
