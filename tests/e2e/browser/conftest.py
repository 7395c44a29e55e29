"""A real Chromium, driven by Playwright, signed in to the pages of a real server.

Every tab records what it requested and what its console said: a test fails if a page asked
for anything outside the app's origin or logged an error."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    sync_playwright,
)

from tests.e2e.browser.chromium import MISSING, chromium_path, launch_arguments


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    path = chromium_path()
    if not path.exists():
        message = MISSING.format(path=path)
        print(f"\n\n!!! {message}\n")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=launch_arguments())
        yield browser
        browser.close()


@dataclass
class Tab:
    """A browser tab of one principal, with what it requested and what it logged."""

    page: Page
    origin: str
    requested: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        response = self.page.goto(self.origin + path)
        assert response is not None
        return self.page

    def download(self, link: Locator, target: Path) -> Path:
        """Click ``link`` and save the file the browser downloads to ``target``."""
        with self.page.expect_download() as download:
            link.click()
        download.value.save_as(target)
        return target

    def outside(self) -> list[str]:
        return [url for url in self.requested if not url.startswith(self.origin + "/")]


def sign_in(page: Page, origin: str, token: str) -> None:
    page.goto(origin + "/sign-in")
    page.get_by_label("Your access token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(origin + "/")


@pytest.fixture
def tab_of(
    chromium: Browser, base_url: str, tokens: dict[str, str]
) -> Iterator[Callable[[str], Tab]]:
    """A factory: ``tab_of("auditor")`` is a tab signed in with the auditor's token."""
    contexts: list[BrowserContext] = []
    tabs: list[Tab] = []

    def make(role: str) -> Tab:
        context = chromium.new_context()
        contexts.append(context)
        tab = Tab(context.new_page(), base_url)
        context.on("request", lambda request: tab.requested.append(request.url))
        tab.page.on("console", lambda message: _console(tab, message))
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        if role != "anonymous":
            sign_in(tab.page, base_url, tokens[role])
        tabs.append(tab)
        return tab

    yield make
    for context in contexts:
        context.close()
    for tab in tabs:
        assert tab.outside() == [], "a page asked for something outside the app's origin"
        assert tab.errors == [], "a page logged errors"


def _console(tab: Tab, message: ConsoleMessage) -> None:
    # A refused page (401/403/404) is logged by Chromium as a failed resource: expected.
    if message.type == "error" and "Failed to load resource" not in message.text:
        tab.errors.append(message.text)
