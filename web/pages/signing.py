"""Sign-in with a bearer token, to a session cookie tied to that token; sign-out.

The session holds the token's id and hash, never its text. Every page reads the token
afresh, so revoking it ends every session signed in with it at once."""

from __future__ import annotations

from flask import g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ledger.domain.access import token_hash
from web.pages.blueprint import pages
from web.pages.safety import CSRF_FIELD, check_csrf, csrf_token, protect
from web.serving.auth import SESSION_TOKEN_HASH, SESSION_TOKEN_ID, session_principal
from web.serving.calls import ledger

OPEN_ENDPOINTS = frozenset({"pages.sign_in", "pages.static"})


@pages.before_request
def signed_in() -> Response | None:
    """Every page but sign-in needs a live session; a writing form, its CSRF token."""
    check_csrf()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    who = session_principal()
    if who is None:
        ended = SESSION_TOKEN_ID in session
        session.clear()
        return redirect(url_for("pages.sign_in", next=local_path(request.full_path), ended=ended))
    g.principal = who
    return None


pages.after_request(protect)


@pages.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int]:
    target = local_path(request.values.get("next", ""))
    if request.method == "GET":
        ended = request.args.get("ended") == "True"
        return render_template("sign_in.html", next=target, ended=ended), 200
    token = request.form.get("token", "").strip()
    who = ledger().principal(token) if token else None
    if who is None:
        message = "That token is unknown or revoked." if token else "Paste your token."
        return render_template("sign_in.html", next=target, refused=message), 401
    session.clear()
    session[SESSION_TOKEN_ID] = who.token_id
    session[SESSION_TOKEN_HASH] = token_hash(token)
    csrf_token()
    return redirect(target or url_for("pages.home"))


@pages.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    session.clear()
    return redirect(url_for("pages.sign_in"))


def local_path(value: str) -> str:
    """``value`` when it is a path of this site, else nothing: no redirect leaves the site."""
    value = value.rstrip("?")
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value


__all__ = ["CSRF_FIELD", "sign_in", "sign_out", "signed_in"]
