"""Query arguments of a page, read with the API's own schema for the same URL parameters:
the same rules, the same refusals (a 422 page naming the field)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from ledger.errors import InvalidInput

NAIVE_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def query_of(schema: Schema, *, instants: Iterable[str] = ()) -> dict[str, Any]:
    """The request's query arguments as ``schema`` loads them; empty fields are left out
    (a form sends them so), and an instant without a zone, as a date-time picker sends it,
    is read in UTC, as the page says beside the picker."""
    given = {name: value for name, value in request.args.items() if value.strip() != ""}
    for name in instants:
        if name in given and NAIVE_INSTANT.fullmatch(given[name]):
            given[name] = f"{given[name]}Z"
    try:
        loaded: dict[str, Any] = schema.load(given, unknown="exclude")
    except ValidationError as error:
        fields = {name: "; ".join(map(str, words)) for name, words in messages(error).items()}
        raise InvalidInput("the page's fields are invalid", fields) from None
    return loaded


def messages(error: ValidationError) -> dict[str, list[Any]]:
    found = error.messages
    if not isinstance(found, dict):
        return {"_page": list(found)}
    return {
        str(name): words if isinstance(words, list) else [words] for name, words in found.items()
    }
