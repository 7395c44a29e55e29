"""Pages on the demo: each page's time as a signed-in browser meets it on loopback (an upper
bound of its server time), p50 and p99 over repeated loads of every page the app serves."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
from dataclasses import dataclass

from ledger.application import LedgerApp
from ledger.commands import Context
from ledger.config import Settings
from ledger.domain.access import Role
from ledger.store.database import DatabaseAddress
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database
from projections import rebuild_views
from projections.catalog import all_views
from projections.queries import employees, plan
from projections.queries.scorecards import scorecards_of
from scripts.bench_table import Row
from web.demo import load_demo
from web.serving.factory import create_app
from web.serving.server import ApiServer

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
COOKIE = re.compile(r"(ledger_session=[^;]+)")


@dataclass(frozen=True)
class PageTiming:
    pages: int
    loads: int
    p50_ms: float
    p99_ms: float
    slowest: str


class Browser:
    """One keep-alive connection with a session cookie, as a signed-in browser holds."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._send("GET", path, None)

    def sign_in(self, token: str) -> None:
        _, form = self.get("/sign-in")
        match = CSRF.search(form)
        assert match is not None, "the sign-in form carries no CSRF token"
        body = f"csrf={match[1]}&token={token}&next=/"
        status, _ = self._send("POST", "/sign-in", body)
        assert status == 302, f"sign-in answered {status}"

    def _send(self, method: str, path: str, body: str | None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        found = COOKIE.search(response.getheader("Set-Cookie") or "")
        if found:
            self.cookie = found[1]
        return response.status, text


def page_paths(app: LedgerApp, served: set[str]) -> list[str]:
    """One URL of every page the demo can show, as a person would open them."""
    source = app.records.datastore.pool
    people = list(employees(source, limit=20).items)
    person = next(p for p in people if scorecards_of(source, p.employee_id))
    cards = scorecards_of(source, person.employee_id)
    period = cards[0].period
    cycle = period.split("-")[0]
    base = f"/people/{person.employee_id}"
    wanted = {
        "pages.home": "/",
        "pages.people": "/people",
        "pages.person": base,
        "pages.scorecard": f"{base}/scorecards/{period}",
        "pages.explain": f"{base}/scorecards/{period}/explain",
        "pages.review": f"{base}/reviews/{period}",
        "pages.history": f"{base}/history",
        "pages.audit_trail": "/audit",
        "pages.target_revisions": "/target-revisions",
        "pages.ledger_page": "/ledger",
        "pages.projections_page": "/projections",
    }
    if plan(source, person.employee_id, cycle) is not None:
        wanted["pages.plan"] = f"{base}/plans/{cycle}"
    paths = [path for endpoint, path in wanted.items() if endpoint in served]
    paths.append(f"{base}/scorecards/{period}?position={cards[0].position}")
    return paths


def time_pages(browser: Browser, paths: list[str], rounds: int) -> PageTiming:
    latencies: list[tuple[float, str]] = []
    for _ in range(rounds):
        for path in paths:
            started = time.perf_counter()
            status, _ = browser.get(path)
            latencies.append((time.perf_counter() - started, path))
            assert status == 200, f"{path} answered {status}"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return PageTiming(
        len(paths),
        len(ordered),
        statistics.median(t for t, _ in ordered) * 1000,
        p99[0] * 1000,
        ordered[-1][1],
    )


def page_rows(server: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    address = create_database(server, "ledger_bench_pages")
    try:
        init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            load_demo(app)
            rebuild_views(app, all_views(app))
            timing = serve_and_time(app, settings, 10 if quick else 40)
        finally:
            app.close()
    finally:
        drop_database(server, address)
    measure = f"page time on the demo, {timing.pages} pages x {timing.loads // timing.pages} loads"
    return [
        Row(f"{measure}, p50", timing.p50_ms, "ms", "-", "-", "-"),
        Row(
            f"{measure}, p99 (slowest: {timing.slowest})",
            timing.p99_ms,
            "ms",
            "-",
            "-",
            "< 100 ms",
        ),
    ]


def serve_and_time(app: LedgerApp, settings: Settings, rounds: int) -> PageTiming:
    token = app.issue_token(Context("admin:bench"), name="bench-hr", role=Role.HR).token
    flask_app = create_app(settings, ledger=app)
    server = ApiServer(flask_app, port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        browser = Browser(server.port)
        browser.sign_in(token)
        paths = page_paths(app, set(flask_app.view_functions))
        time_pages(browser, paths, 2)  # warm: templates compiled, states loaded
        return time_pages(browser, paths, rounds)
    finally:
        server.close()
        thread.join()
