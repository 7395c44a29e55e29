"""The HTTP API: one module per resource, its schemas beside it."""
