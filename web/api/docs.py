"""Swagger UI's files, served by the API itself: the docs page works on a closed network."""

from __future__ import annotations

from flask import Blueprint
from swagger_ui_bundle import swagger_ui_path

ASSETS_URL = "/docs/assets/"


def assets_blueprint() -> Blueprint:
    return Blueprint(
        "docs_assets",
        __name__,
        static_folder=str(swagger_ui_path),
        static_url_path=ASSETS_URL.rstrip("/"),
    )
