"""GraphQL types of the scores block: probabilities, history, grouped explanation, contagion partners.

A Score's ``explanation`` JSON (``scoring.model.explain``) holds ``groups``
(contribution per feature group, log-odds), ``top_features`` and ``related``
(per contagion group, the failed partners behind it). The partners are shown by
public identity only, through the request's batched identity loader.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from graph_api.company.loaders import identity_loader
from graph_api.context import ApiInfo
from graph_api.fields import field
from graph_api.search.types import CompanyIdentity


@strawberry.type(description="The contribution of one feature group to the score (log-odds; positive raises risk).")
class ExplanationGroup:
    group: str = strawberry.field(
        description="urssaf_debt, short_time_work, headcount, financial_health, supplier_contagion, "
        "client_contagion, group or other."
    )
    contribution: float


@strawberry.type(description="One of the features that weigh most in the score.")
class FeatureContribution:
    feature: str
    contribution: float


@strawberry.type(description="A failed partner behind the contagion part of a score (public identity only).")
class ContagionPartner:
    group: str = strawberry.field(description="supplier_contagion, client_contagion or group.")
    siren: str
    weight: float = strawberry.field(description="The dependency on the partner (1 for a group member).")
    judgment: str | None = strawberry.field(description="Month of the partner's judgment (YYYY-MM).")

    @field(description="The partner's public identity; null when Sirene does not know it.")
    async def company(self, info: ApiInfo) -> CompanyIdentity | None:
        row = await identity_loader(info.context).load(self.siren)
        return CompanyIdentity.from_row(row) if row else None


@strawberry.type(description="A failure-risk score of one period.")
class Score:
    period: str
    p12: float | None = strawberry.field(description="Probability of failure within 12 months.")
    p18: float | None
    p24: float | None
    model_version: str | None
    alert: str | None = strawberry.field(description="Alert level: none, moderate or high.")
    explanation: JSON | None = strawberry.field(description="The model's explanation as stored (JSON).")
    explanation_groups: list[ExplanationGroup] = strawberry.field(
        description="Contribution per feature group, largest effect first."
    )
    top_features: list[FeatureContribution]
    contagion: list[ContagionPartner] = strawberry.field(
        description="The failed partners behind the contagion groups, largest weight first."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Score:
        """A score from a row of ``company.service.scores`` (explanation already parsed)."""
        raw = row.get("explanation")
        ex: dict[str, Any] = raw if isinstance(raw, dict) else {}
        groups = ex.get("groups") if isinstance(ex.get("groups"), dict) else {}
        related = ex.get("related") if isinstance(ex.get("related"), dict) else {}
        partners = [
            ContagionPartner(
                group=str(g),
                siren=str(p.get("siren")),
                weight=float(p.get("weight") or 0.0),
                judgment=p.get("judgment"),
            )
            for g, lst in (related or {}).items()
            for p in (lst if isinstance(lst, list) else [])
            if isinstance(p, dict) and p.get("siren")
        ]
        partners.sort(key=lambda p: (-p.weight, p.group, p.siren))
        return cls(
            period=str(row["period"]),
            p12=row.get("p12"),
            p18=row.get("p18"),
            p24=row.get("p24"),
            model_version=row.get("model_version"),
            alert=row.get("alert"),
            explanation=raw,
            explanation_groups=sorted(
                (ExplanationGroup(group=str(k), contribution=float(v)) for k, v in (groups or {}).items()),
                key=lambda g: (-abs(g.contribution), g.group),
            ),
            top_features=[
                FeatureContribution(feature=str(f.get("feature")), contribution=float(f.get("contribution") or 0.0))
                for f in ex.get("top_features") or []
                if isinstance(f, dict)
            ],
            contagion=partners,
        )


@strawberry.type(description="Scores data block (role `score`).")
class ScoreBlock:
    latest: Score | None
    history: list[Score] = strawberry.field(description="Every period, newest first.")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ScoreBlock:
        """The block from the scores loader's data."""
        history = [Score.from_row(r) for r in data.get("scores", [])]
        return cls(latest=history[0] if history else None, history=history)
