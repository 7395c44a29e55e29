"""Strict JSON in: no NaN or Infinity, no duplicate keys, numbers kept exact."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import flask
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser, abort

from ledger.domain.checks import UNSTORABLE, UNSTORABLE_RULE

F = TypeVar("F", bound=Callable[..., Any])

JSON_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class MalformedJSON(ValueError):
    """The body is not strict JSON."""


def _refuse_constant(name: str) -> Any:
    raise MalformedJSON(f"{name} is not a JSON number")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        raise MalformedJSON(f"the number {text[:40]} is beyond any range") from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise MalformedJSON(f"the key {key!r} appears twice")
        mapping[key] = value
    return mapping


def strict_json(data: bytes) -> Any:
    """The JSON document in ``data``; MalformedJSON for anything JSON does not allow."""
    try:
        return json.loads(
            data.decode("utf-8"),
            parse_float=_decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except MalformedJSON:
        raise
    except (ValueError, RecursionError) as exc:
        raise MalformedJSON(f"the body is not valid JSON: {exc}") from None


def canonical_json(document: Any) -> str:
    """Equal documents give equal text: keys sorted, no spaces, numbers as written."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)


def json_body() -> Any:
    """The request's JSON document, None when it has no body; 400 when it is malformed."""
    data = flask.request.get_data(cache=True)
    if not data.strip():
        return None
    try:
        return strict_json(data)
    except MalformedJSON as exc:
        abort(400, exc=exc, messages={"json": {"_body": [str(exc)]}})


class StrictParser(FlaskParser):
    """webargs' parser reading bodies with ``strict_json`` and refusing unknown fields."""

    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {  # noqa: RUF012
        "json": ma.RAISE,
        "query": ma.RAISE,
        "querystring": ma.RAISE,
        "view_args": ma.RAISE,
        "path": ma.RAISE,
        "form": ma.RAISE,
        "json_or_form": ma.RAISE,
        "headers": ma.EXCLUDE,
        "cookies": ma.EXCLUDE,
        "files": ma.RAISE,
    }

    def load_json(self, req: flask.Request, schema: ma.Schema) -> Any:
        """The body's document; missing only when there is no body (a JSON null is refused)."""
        if not req.get_data(cache=True).strip():
            return core.missing
        return json_body()

    def pre_load(
        self, location_data: Any, *, schema: ma.Schema, req: flask.Request, location: str
    ) -> Any:
        """Refuse, naming the field, any text the database could not hold."""
        refused = unstorable_fields(location_data)
        if refused:
            raise ma.ValidationError({key: [UNSTORABLE_RULE] for key in refused})
        return location_data


def unstorable_fields(data: Any) -> list[str]:
    """The top-level fields whose value holds, anywhere within, text the database could not
    hold (NUL, lone surrogates); ``_body`` for a body that is no object."""
    if not isinstance(data, Mapping):
        return ["_body"] if holds_unstorable(data) else []
    getlist = getattr(data, "getlist", None)
    return [
        str(key)
        for key in data
        if holds_unstorable(key) or holds_unstorable(getlist(key) if getlist else data[key])
    ]


def holds_unstorable(value: Any) -> bool:
    """Walked without recursion: a body may nest as deep as JSON parsing allows."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and UNSTORABLE.search(item):
            return True
        if isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def has_body(request: flask.Request) -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def body_is_acceptable(request: flask.Request) -> bool:
    """A body, where there is one, must say it is JSON, unless its view takes a file."""
    if request.method not in JSON_BODY_METHODS or not has_body(request):
        return True
    view = flask.current_app.view_functions.get(request.endpoint or "")
    return is_json(request.mimetype) or getattr(view, TAKES_FILE, False)


TAKES_FILE = "takes_file"


def takes_file(view: F) -> F:
    """Marks a view whose body is a file that the view reads itself (not JSON)."""
    setattr(view, TAKES_FILE, True)
    return view
