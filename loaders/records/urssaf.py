"""Records of the URSSAF files: headcount, contributions, debts, plans, CCSF, proceedings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from loaders.records.enums import CcsfStage, ProcedureKind, ProcedureStage
from loaders.records.span import MonthSpan


@dataclass(frozen=True, slots=True, kw_only=True)
class EffectifMonth:
    """One month of headcount, unpivoted from the wide ``sigfaible_effectif*`` files.

    One record per (establishment or company, month) with a non-empty cell.

    Attributes:
        siret: None for ``sigfaible_effectif_siren*`` (company level).
        compte: URSSAF account; None at company level.
        name: ``rais_soc``.
        naf: ``ape_ins`` with its dot restored (``4711B`` -> ``47.11B``).
        departement: ``dep`` as delivered.
        month: the month (day 1) named by the ``effYYYYQM`` column.
        pseudo_siret: the SIRET is an URSSAF pseudo-SIRET (NIC starting 5, 6, 7, 9).
    """

    line: int
    siren: str
    siret: str | None
    compte: str | None
    name: str | None
    naf: str | None
    departement: str | None
    month: date
    headcount: int
    pseudo_siret: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class CotisationDue:
    """Contributions due and paid for a period, from ``sigfaible_cotisdues*``.

    Attributes:
        period: months covered (a month, a quarter or a year).
        due: ``cotis_due`` (euros).
        paid: ``enc_direct`` (euros).
        mer: ``mer`` (euros), kept as delivered.
    """

    line: int
    siret: str
    siren: str
    compte: str
    period: MonthSpan
    due: Decimal | None
    paid: Decimal | None
    mer: Decimal | None
    pseudo_siret: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DebitLine:
    """One state of a debt line, from ``sigfaible_debits*``.

    A debt line is identified by :attr:`line_key`; ``num_hist_ecn`` numbers its
    states and the one with the latest ``processed_on`` (then highest
    ``num_hist_ecn``) is current.

    Attributes:
        compte: ``num_cpte``.
        siret: None when the file leaves it empty (account-level debt).
        registered_on: ``Dt_immat``.
        account_state: ``Etat_cpte``.
        procedure_code: ``Cd_pro_col``.
        period: ``Periode`` as a span of months.
        num_ecn, num_hist_ecn: ``Num_Ecn``, ``Num_Hist_Ecn``.
        processed_on: ``Dt_trt_ecn``.
        employee_share: ``Mt_PO`` converted from centimes to euros.
        employer_share: ``Mt_PP`` converted from centimes to euros.
        operation_code, motive: ``Cd_op_ecn``, ``Motif_ecn``.
        appeal_pending: ``Recours_en_cours`` (``true``/``false``/``1``/``0``/``O``/``N``).
    """

    line: int
    compte: str
    siren: str
    siret: str | None
    registered_on: date | None
    account_state: str | None
    procedure_code: str | None
    period: MonthSpan
    num_ecn: str
    num_hist_ecn: int
    processed_on: date
    employee_share: Decimal
    employer_share: Decimal
    operation_code: str | None
    motive: str | None
    appeal_pending: bool | None
    pseudo_siret: bool

    @property
    def line_key(self) -> tuple[str, date, date, str]:
        """Identity of the debt line: (``num_cpte``, ``Periode``, ``Num_Ecn``)."""
        return (self.compte, self.period.first, self.period.last, self.num_ecn)

    @property
    def amount(self) -> Decimal:
        """Total debt of this state: employee plus employer share (euros)."""
        return self.employee_share + self.employer_share


@dataclass(frozen=True, slots=True, kw_only=True)
class Delai:
    """A payment plan granted, from ``sigfaible_delais*``.

    Attributes:
        compte: ``Numero_compte_externe``.
        structure: ``Numero_structure``.
        created_on, due_on: ``Date_creation``, ``Date_echeance``.
        duration_days: ``Duree_delai``.
        indic_6m: ``Indic_6M`` as delivered.
        amount: ``Montant_global_echeancier`` (euros).
        stage, action: ``Code_externe_stade``, ``Code_externe_action``.
    """

    line: int
    siret: str
    siren: str
    compte: str | None
    structure: str | None
    created_on: date
    due_on: date | None
    duration_days: int | None
    denomination: str | None
    indic_6m: str | None
    creation_year: int | None
    amount: Decimal | None
    stage: str | None
    action: str | None
    pseudo_siret: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Ccsf:
    """A CCSF rescheduling event, from ``sigfaible_ccsf*``.

    Attributes:
        processed_on: ``Date_de_traitement``.
        stage: ``Code_externe_stade``.
        action: ``Code_externe_action`` as delivered.
    """

    line: int
    siret: str
    siren: str
    compte: str | None
    processed_on: date
    stage: CcsfStage
    action: str | None
    pseudo_siret: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PcollUrssaf:
    """An insolvency-proceedings event seen by URSSAF, from ``sigfaible_pcoll*``.

    Attributes:
        siret: None when only ``Siren`` is filled.
        effective_on: ``Dt_effet``.
        category: ``Cat_v2`` as delivered.
        label: ``Lib_actx_stdx`` as delivered.
        kind: the action part of ``Lib_actx_stdx``.
        stage: canonical stage of the remaining part.
        stage_label: the remaining part, lower case (``ouverture``, ``solde``…).
    """

    line: int
    siren: str
    siret: str | None
    effective_on: date
    category: str | None
    label: str
    kind: ProcedureKind
    stage: ProcedureStage
    stage_label: str
    pseudo_siret: bool
