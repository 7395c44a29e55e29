"""Entrypoints: the HTTP API, the command line and the pages."""

from __future__ import annotations

from web.serving.factory import create_app

__all__ = ["create_app"]
