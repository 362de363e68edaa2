"""No N+1: what a company page costs in Neo4j queries, whatever the number of companies or establishments.

Counted on the app's own store, through HTTP with a real token: the token's
revocation check, then per batch (not per company) the identities, the
establishments, the group and its members, owners, directors, the doctrine's
facts, one audit write for the blocks' decisions, the scores (a page's identity and structure in one
read). Measures come from the
Parquet store and cost no Neo4j query.
"""

from __future__ import annotations

from company_world import LARGE_MEMBERS, SMALL_MEMBER, P, Q
from page_queries import AGENCY, ALL_ROLES, MEMBERS_PAGE, PAGE
from page_support import PageApi

FIXED_QUERIES = 12
"""What a company's full set of fields costs through their own loaders (as for the members of a list):
the token's revocation check, the identity, establishments, procedures, trade partners, group, owners,
directors, group members, the doctrine's facts, one audit write (the four blocks' decisions together)
and the scores."""

PAGE_FIXED_QUERIES = FIXED_QUERIES - 4
"""What a full company page always costs: the same, except that ``company(siren)`` reads the identity,
establishments, group, owners and directors in one statement (``structure.pages``) when the page shows
at least two of them."""

PAGE_QUERIES = PAGE_FIXED_QUERIES + 4 + 3
"""At most: plus one identity batch per kind of company the page names (group head, owner companies,
director companies, contagion partners), and for the trade partners' score blocks one facts batch, one
audit write and one alert-level read. Loads of one depth that finish together share a batch, so the
count may be lower; it never depends on how many companies, establishments or partners there are."""

LIST_QUERIES = FIXED_QUERIES + 4 + 3 + 2
"""The members of a group, each with its full page: at most two batches more (the members, their
identities); the members' own fields are batched across members, through their own loaders."""


def _cost(page_api: PageApi, query: str, siren: str) -> tuple[int, int]:
    api = page_api.api
    token = api.token("count-all", agency=AGENCY, zones=("21",), roles=ALL_ROLES)
    page_api.counter.reset()
    body = api.gql(token, query, {"siren": siren})
    assert "errors" not in body, body
    return page_api.counter.transactions, page_api.counter.statements


def test_company_page_cost_is_fixed(page_api: PageApi) -> None:
    three_establishments = _cost(page_api, PAGE, P)
    two_establishments = _cost(page_api, PAGE, SMALL_MEMBER)
    for transactions, statements in (three_establishments, two_establishments):
        assert transactions == statements  # one statement per transaction
        assert PAGE_FIXED_QUERIES <= transactions <= PAGE_QUERIES, transactions


def test_list_of_companies_costs_the_same_as_one(page_api: PageApi) -> None:
    """The members of a group of 2 and of a group of 6, each with its full page: same number of queries."""
    small = _cost(page_api, MEMBERS_PAGE, P)
    large = _cost(page_api, MEMBERS_PAGE, Q)
    # with one query per member and field, six members would cost dozens more than two
    assert FIXED_QUERIES <= small[0] <= LIST_QUERIES, small
    assert FIXED_QUERIES <= large[0] <= LIST_QUERIES, large


def test_the_large_list_really_holds_every_member(page_api: PageApi) -> None:
    api = page_api.api
    token = api.token("count-all", agency=AGENCY, zones=("21",), roles=ALL_ROLES)
    body = api.gql(token, MEMBERS_PAGE, {"siren": Q})
    members = body["data"]["company"]["group"]["members"]
    assert [m["siren"] for m in members] == sorted([Q, *LARGE_MEMBERS])
    assert all(m["urssaf"]["debts"][0]["total"] == 1000.0 for m in members)
    assert all(len(m["establishments"]) == 2 and len(m["owners"]) == 2 for m in members)
    assert all(m["scores"]["latest"]["p12"] == 0.31 for m in members)
