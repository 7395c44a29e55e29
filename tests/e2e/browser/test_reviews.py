"""The review page: every revision with its ratings, reasons, who and when, as the API has
them; each reproduced on demand with both hashes equal to the API's; markup shown as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from tests.e2e.browser.conftest import Tab
from tests.e2e.browser.reviewed import CALIBRATION_REASON, write_reviewed
from tests.e2e.client import ApiClient
from tests.e2e.conftest import Organisation


def test_every_revision_shows_its_score_ratings_and_reasons_as_the_api_has_them(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    review = hr.ok("GET", reviewed.seat.review)
    tab = tab_of("auditor")
    tab.open(reviewed.review_page)
    rows = tab.page.locator("#revisions tbody tr")
    assert rows.count() == len(review["revisions"]) == 2
    for row, revision in zip(rows.all(), review["revisions"], strict=True):
        assert row.locator("[data-score]").inner_text() == revision["score"]
        assert row.locator("[data-computed-rating]").inner_text() == str(
            revision["computed_rating"]
        )
        assert row.locator("[data-final-rating]").inner_text() == str(revision["final_rating"])
    first = rows.first
    assert first.locator("[data-calibration-reason]").inner_text() == CALIBRATION_REASON
    assert first.locator("[data-reopen-reason]").inner_text() == "late data from the CRM"
    calibrated = review["revisions"][0]
    when = datetime.fromisoformat(calibrated["calibrated_at"]).astimezone(UTC)
    assert f"by {calibrated['calibrated_by']}, {when:%Y-%m-%d %H:%M:%S} UTC" in first.inner_text()
    assert tab.page.locator("main b").count() == 0
    assert tab.page.locator("[data-status]").inner_text() == review["status"]


def test_reproducing_a_revision_shows_it_matches_with_both_hashes_the_apis(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    reproduced = hr.ok("GET", f"{reviewed.seat.review}/revisions/1/reproduce")
    tab = tab_of("auditor")
    tab.open(reviewed.review_page)
    tab.page.get_by_role("button", name="Reproduce revision 1").click()
    tab.page.wait_for_url("**reproduce=1")
    section = tab.page.locator("#reproduction")
    assert section.locator("[data-matches]").get_attribute("data-matches") == "true"
    assert reproduced["matches"] is True
    assert section.locator("[data-hash]").inner_text() == reproduced["hash"]
    assert section.locator("[data-stored-hash]").inner_text() == reproduced["stored_hash"]
    assert reproduced["hash"] == reproduced["stored_hash"]
    assert section.locator("[data-score]").inner_text() == reproduced["scorecard"]["score"]


def test_consecutive_revisions_link_to_the_explanation_between_them(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    tab = tab_of("manager")
    tab.open(reviewed.review_page)
    tab.page.get_by_role("link", name="Revision 1 to revision 2").click()
    tab.page.wait_for_url(f"**{reviewed.explain_page}?from=r1&to=r2")
    assert tab.page.locator("#moved-steps tbody tr").count() == 2


def test_a_revision_to_reproduce_that_is_not_a_number_is_a_422_page_naming_the_field(
    tab_of: Callable[[str], Tab], hr: ApiClient, organisation: Organisation
) -> None:
    reviewed = write_reviewed(hr, organisation.report_id)
    tab = tab_of("auditor")
    response = tab.page.goto(f"{tab.origin}{reviewed.review_page}?reproduce=first")
    assert response is not None
    assert response.status == 422
    assert tab.page.locator(".field-errors li strong").all_inner_texts() == ["reproduce"]
    missing = tab.page.goto(f"{tab.origin}{reviewed.review_page}?reproduce=9")
    assert missing is not None
    assert missing.status == 404


def test_an_employee_opening_anothers_review_or_explanation_gets_the_403_page(
    tab_of: Callable[[str], Tab], organisation: Organisation
) -> None:
    tab = tab_of("employee")
    stranger = organisation.stranger_id
    for path in (
        f"/people/{stranger}/reviews/FY2026-Q1?reproduce=1",
        f"/people/{stranger}/scorecards/FY2026-Q1/explain?from=r1&to=r2",
    ):
        response = tab.page.goto(f"{tab.origin}{path}")
        assert response is not None
        assert response.status == 403
        text = tab.page.locator("main").inner_text()
        assert "Not yours to see" in text
        assert stranger not in text
