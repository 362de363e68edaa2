"""Who may start working on a company (follow it, write a note about it).

Following a company grants its data blocks to the whole agency
(docs/access.md, basis 2). If any agent could follow any company, following
would be a way round the doctrine. So an agent may follow, or write about, only
a company it may already see through another basis: one of its zones and on a
published detection list, or an open intervention its agency takes part in (or,
for notes, a current follow of its agency). An unknown company is refused alike.
"""

from __future__ import annotations

from graph_api.auth.principal import Principal
from graph_api.doctrine.rules import CompanyFacts, in_zone


def may_follow(principal: Principal, facts: CompanyFacts | None) -> bool:
    """Whether ``principal`` may start following the company (a follow never grants itself).

    Args:
        principal: the caller.
        facts: the company's facts for the caller's agency; None when unknown.
    """
    if facts is None or not facts.exists:
        return False
    return (in_zone(principal, facts) and facts.listed) or facts.intervening or facts.followed


def may_write_about(principal: Principal, facts: CompanyFacts | None) -> bool:
    """Whether ``principal`` may write a (top-level) case note about the company.

    The same working basis as following; a current follow of the agency counts.
    """
    return may_follow(principal, facts)
