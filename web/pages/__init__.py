"""Pages for people: server-rendered HTML beside the API, on the same application methods
and queries, readable without JavaScript and printable."""

from __future__ import annotations

from web.pages.site import register_pages

__all__ = ["register_pages"]
