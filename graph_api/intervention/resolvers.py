"""Root fields of interventions: two queries, five mutations (docs/interventions.md)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from neo4j import AsyncManagedTransaction

from graph_api.audit.service import audited_write
from graph_api.company.resolvers import check_siren
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.guard import company_facts
from graph_api.doctrine.rules import in_zone
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field, mutation
from graph_api.intervention import access, service
from graph_api.intervention.model import (
    MAX_OUTCOME,
    MAX_PARTICIPANTS,
    InterventionKind,
    InterventionStatus,
    ParticipantRole,
)
from graph_api.intervention.types import Intervention, ParticipantInput

MAX_CODE = 64
"""Characters of an agency code."""
LIST_LIMIT = 200
"""Interventions listed per company (far more than any company gets)."""


def check_code(code: str, argument: str) -> str:
    """An agency code, stripped; BAD_USER_INPUT naming ``argument`` when blank or oversized."""
    c = code.strip()
    if not c or len(c) > MAX_CODE:
        raise bad_input(f"an agency code is 1 to {MAX_CODE} characters", argument=argument)
    return c


async def check_participants(
    ctx: RequestContext, participants: list[ParticipantInput] | None
) -> list[tuple[str, ParticipantRole]]:
    """The other agencies named at opening, validated (distinct, known, not the caller's own)."""
    items = participants or []
    if len(items) > MAX_PARTICIPANTS:
        raise bad_input(f"at most {MAX_PARTICIPANTS} participants", argument="participants")
    out = [(check_code(p.agency, "participants"), p.role) for p in items]
    codes = [c for c, _ in out]
    if len(set(codes)) != len(codes) or ctx.me.agency in codes:
        raise bad_input("each agency once; the caller's agency takes part as lead already", argument="participants")
    if codes and await service.unknown_agencies(ctx.store, codes):
        raise bad_input("no agency has that code", argument="participants")
    return out


async def open_checked(
    ctx: RequestContext, siren: str, kind: InterventionKind, participants: list[ParticipantInput] | None
) -> Intervention:
    """Opens an intervention after the doctrine's check, audited, with its event."""
    s = check_siren(siren)
    others = await check_participants(ctx, participants)
    facts = (await company_facts(ctx, [s]))[0]
    if not access.can_open(ctx.me, facts):
        raise forbidden()
    new_id = service.new_id()

    async def work(tx: AsyncManagedTransaction) -> None:
        await service.create(tx, ctx.me, new_id, s, kind, others)

    await audited_write(
        ctx, "mutation:openIntervention", f"intervention:{new_id}", work, in_zone=in_zone(ctx.me, facts)
    )
    return await reread(ctx, new_id)


async def reread(ctx: RequestContext, intervention_id: str) -> Intervention:
    """The intervention as now stored (after a mutation)."""
    record = await service.get(ctx.store, intervention_id)
    if record is None:  # deleted by someone else in between: as unknown
        raise forbidden()
    return Intervention.of(record)


async def _target(ctx: RequestContext, intervention_id: str) -> service.InterventionRecord:
    """The intervention a mutation is about, when the caller may change it (FORBIDDEN otherwise)."""
    record = await service.get(ctx.store, intervention_id)
    if record is None or not access.can_change(ctx.me, record.facts()):
        raise forbidden()
    return record


async def _change(
    ctx: RequestContext,
    record: service.InterventionRecord,
    action: str,
    work: Callable[[AsyncManagedTransaction], Awaitable[None]],
) -> Intervention:
    """Runs ``work`` on an existing intervention, audited with its event, and returns it as now stored."""
    target = f"intervention:{record.id}"
    await audited_write(ctx, action, target, work, in_zone=ctx.me.covers(record.departement))
    return await reread(ctx, record.id)


@strawberry.type
class InterventionQuery:
    @field(description="One intervention, when the caller may read it; FORBIDDEN for unknown and refused ids alike.")
    async def intervention(self, info: ApiInfo, id: strawberry.ID) -> Intervention:
        ctx = info.context
        record = await service.get(ctx.store, str(id))
        if record is None:
            raise forbidden()
        facts = (await company_facts(ctx, [record.siren]))[0]
        if not access.can_read(ctx.me, record.facts(), facts):
            raise forbidden()
        return Intervention.of(record)

    @field(description="The company's interventions the caller may read, newest first.")
    async def interventions(self, info: ApiInfo, siren: str) -> list[Intervention]:
        ctx = info.context
        s = check_siren(siren)
        facts = (await company_facts(ctx, [s]))[0]
        records = await service.of_company(ctx.store, s, LIST_LIMIT)
        return [Intervention.of(r) for r in records if access.can_read(ctx.me, r.facts(), facts)]


@strawberry.type
class InterventionMutation:
    @mutation(description="Opens an intervention on a company; the caller's agency takes part as LEAD. Audited.")
    async def open_intervention(
        self,
        info: ApiInfo,
        siren: str,
        kind: InterventionKind,
        participants: list[ParticipantInput] | None = None,
    ) -> Intervention:
        return await open_checked(info.context, siren, kind, participants)

    @mutation(
        description=(
            "Moves an intervention along the workflow (OPEN->IN_PROGRESS, IN_PROGRESS<->UNDER_WATCH); "
            "CLOSED goes through closeIntervention. `expectedStatus` guards against a concurrent change "
            "(CONFLICT). Participants only. Audited."
        )
    )
    async def change_intervention_status(
        self,
        info: ApiInfo,
        id: strawberry.ID,
        status: InterventionStatus,
        expected_status: InterventionStatus | None = None,
    ) -> Intervention:
        ctx = info.context
        if status is InterventionStatus.CLOSED:
            raise bad_input("closing needs an outcome: use closeIntervention", argument="status")
        record = await _target(ctx, str(id))

        async def work(tx: AsyncManagedTransaction) -> None:
            await service.change_status(tx, ctx.me, record.id, status, expected_status)

        return await _change(ctx, record, "mutation:changeInterventionStatus", work)

    @mutation(description="Closes an intervention with its outcome (required). Participants only. Audited.")
    async def close_intervention(
        self,
        info: ApiInfo,
        id: strawberry.ID,
        outcome: str,
        expected_status: InterventionStatus | None = None,
    ) -> Intervention:
        ctx = info.context
        text = outcome.strip()
        if not text or len(text) > MAX_OUTCOME:
            raise bad_input(f"the outcome is 1 to {MAX_OUTCOME} characters", argument="outcome")
        record = await _target(ctx, str(id))

        async def work(tx: AsyncManagedTransaction) -> None:
            await service.change_status(tx, ctx.me, record.id, InterventionStatus.CLOSED, expected_status, text)

        return await _change(ctx, record, "mutation:closeIntervention", work)

    @mutation(description="Adds an agency to an intervention that is not closed. Participants only. Audited.")
    async def add_participant(
        self,
        info: ApiInfo,
        id: strawberry.ID,
        agency: str,
        role: ParticipantRole = ParticipantRole.CONTRIBUTOR,
    ) -> Intervention:
        ctx = info.context
        code = check_code(agency, "agency")
        record = await _target(ctx, str(id))

        async def work(tx: AsyncManagedTransaction) -> None:
            await service.add_participant(tx, ctx.me, record.id, code, role)

        return await _change(ctx, record, "mutation:addParticipant", work)

    @mutation(
        description=(
            "The caller's agency leaves an intervention (its stint is kept with `leftAt`); the last "
            "participant cannot leave (INVALID_TRANSITION): close it instead. Audited."
        )
    )
    async def leave_intervention(self, info: ApiInfo, id: strawberry.ID) -> Intervention:
        ctx = info.context
        record = await _target(ctx, str(id))

        async def work(tx: AsyncManagedTransaction) -> None:
            await service.leave(tx, ctx.me, record.id)

        return await _change(ctx, record, "mutation:leaveIntervention", work)
