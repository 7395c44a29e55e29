"""The API's index at /api/v1 and /api/v1/: the same answer, without a token, naming routes
that exist."""

from __future__ import annotations

import httpx

from web.api.resource import API_PREFIX


def test_the_index_answers_the_same_with_and_without_its_slash_and_no_token(
    base_url: str,
) -> None:
    bare = httpx.get(f"{base_url}{API_PREFIX}", timeout=30, follow_redirects=False)
    slashed = httpx.get(f"{base_url}{API_PREFIX}/", timeout=30, follow_redirects=False)
    assert bare.status_code == slashed.status_code == 200
    assert bare.json() == slashed.json()
    assert bare.json()["openapi"] == f"{API_PREFIX}/openapi.json"
    assert bare.json()["docs"] == "/docs"


def test_the_index_links_its_document_docs_and_resources_where_they_answer(
    base_url: str, tokens: dict[str, str]
) -> None:
    index = httpx.get(f"{base_url}{API_PREFIX}/", timeout=30).json()
    assert httpx.get(f"{base_url}{index['openapi']}", timeout=30).status_code == 200
    assert httpx.get(f"{base_url}{index['docs']}", timeout=30).status_code == 200
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    fixed = [link["href"] for link in index["resources"] if "{" not in link["href"]]
    assert len(fixed) >= 8
    for href in fixed:
        assert httpx.get(f"{base_url}{href}", headers=admin, timeout=30).status_code == 200, href


def test_the_index_is_in_the_openapi_document_as_needing_no_token(base_url: str) -> None:
    document = httpx.get(f"{base_url}{API_PREFIX}/openapi.json", timeout=30).json()
    assert document["paths"][f"{API_PREFIX}/"]["get"]["security"] == []


def test_the_routes_beside_the_index_still_want_a_token(base_url: str) -> None:
    answer = httpx.get(f"{base_url}{API_PREFIX}/employees", timeout=30)
    assert answer.status_code == 401
    assert answer.headers["Content-Type"] == "application/problem+json"
