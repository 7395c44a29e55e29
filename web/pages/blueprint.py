"""The pages' blueprint: its templates and static files live beside the views."""

from __future__ import annotations

from flask import Blueprint

STATIC_URL = "/assets"

pages = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path=STATIC_URL,
)
