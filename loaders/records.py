"""Typed records read from the source files of SOURCES.md: the readers' contract.

Every reader yields, for each data line of a file, either records (frozen
dataclasses below) or :class:`Reject` values; a file that cannot be read at all
raises :class:`FileRejected` before its first record.

Conventions shared by every record:

- ``line`` is the 1-based line number in the file (the header is line 1), for
  provenance and for rejects raised later in the pipeline.
- Identifiers are strings of digits (SIREN 9, SIRET 14); ``siren`` is always
  filled, and is the first 9 digits of ``siret`` when both exist.
- Money is :class:`~decimal.Decimal` euros. URSSAF debts, delivered in
  centimes, are converted exactly (``12345`` -> ``Decimal("123.45")``).
  Quantities that are not money (hours, ratios, percentages, coordinates) are
  ``float``; headcounts are ``int``.
- A month is the ``date`` of its first day. A span of months is a
  :class:`MonthSpan`.
- Empty cells become ``None``; text is stripped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, StrEnum


class ProcedureKind(StrEnum):
    """The three kinds of insolvency proceedings (procédures collectives)."""

    SAUVEGARDE = "sauvegarde"
    REDRESSEMENT = "redressement"
    LIQUIDATION = "liquidation"


class ProcedureStage(StrEnum):
    """Canonical stage of a judgment or of an URSSAF procedure event."""

    OUVERTURE = "ouverture"
    PLAN = "plan"  # a plan adopted or modified (sauvegarde, continuation, redressement)
    CONVERSION = "conversion"  # e.g. redressement converted into liquidation
    EXTENSION = "extension"  # the proceedings extended to another company
    CLOTURE = "cloture"  # closure, end of proceedings; URSSAF "solde"
    AUTRE = "autre"  # any other published judgment (kept, never dropped)


class CcsfStage(StrEnum):
    """Stage of a CCSF rescheduling (``Code_externe_stade``)."""

    DEBUT = "DEBUT"
    REFUS = "REFUS"
    APPROB = "APPROB"
    FIN = "FIN"
    REJ = "REJ"


class ApMotif(int, Enum):
    """Reason for short-time work (``MOTIF_RECOURS_SE``)."""

    SITUATION_ECONOMIQUE = 1
    APPROVISIONNEMENT = 2
    SINISTRE = 3
    RESTRUCTURATION = 4
    AUTRE = 5


class OwnershipNature(StrEnum):
    """Whether a shareholding is held directly or through other companies."""

    DIRECTE = "directe"
    INDIRECTE = "indirecte"


@dataclass(frozen=True, slots=True)
class MonthSpan:
    """An inclusive range of months, each given by the date of its first day.

    Attributes:
        first: first month (day 1).
        last: last month (day 1); equals ``first`` for a single month.
    """

    first: date
    last: date

    @property
    def is_month(self) -> bool:
        """True when the span is a single month."""
        return self.first == self.last

    @property
    def count(self) -> int:
        """Number of months in the span."""
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def months(self) -> Iterator[date]:
        """The months of the span, in order."""
        y, m = self.first.year, self.first.month
        for _ in range(self.count):
            yield date(y, m, 1)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)


# --- 1. Sirene -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class UniteLegale:
    """A company from ``StockUniteLegale*.csv``.

    Attributes:
        name: ``denominationUniteLegale``, or ``nomUniteLegale prenom1UniteLegale``
            for sole traders.
        headcount_band: INSEE band code as delivered (``NN``, ``00`` … ``53``).
        legal_form: 4-digit ``categorieJuridiqueUniteLegale``.
        naf: NAF rev. 2 code with its dot (``62.01Z``).
        category: ``PME``, ``ETI``, ``GE`` or None.
        active: ``etatAdministratifUniteLegale`` is ``A``.
        head_office_siret: SIREN + ``nicSiegeUniteLegale``.
    """

    line: int
    siren: str
    name: str | None
    created_on: date | None
    headcount_band: str | None
    legal_form: str | None
    naf: str | None
    category: str | None
    active: bool
    head_office_nic: str | None
    head_office_siret: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Etablissement:
    """An establishment from ``StockEtablissement*.csv``.

    Attributes:
        name: ``denominationUsuelleEtablissement`` or ``enseigne1Etablissement``
            when the file has them, else None.
        departement: from ``codeCommuneEtablissement`` (``graphstore.geo``).
        active: ``etatAdministratifEtablissement`` is ``A`` (``F`` = closed).
    """

    line: int
    siret: str
    siren: str
    nic: str
    name: str | None
    created_on: date | None
    headcount_band: str | None
    head_office: bool
    postal_code: str | None
    commune: str | None
    commune_code: str | None
    departement: str | None
    naf: str | None
    active: bool
    longitude: float | None
    latitude: float | None


# --- 2. URSSAF -------------------------------------------------------------------


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


# --- 3. DGEFP activité partielle --------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ApDemande:
    """A short-time work authorisation request, from ``demande_ap*``.

    Attributes:
        id_da: ``ID_DA``.
        company_headcount, establishment_headcount: ``EFF_ENT``, ``EFF_ETAB``.
        status_on: ``DATE_STATUT``.
        start, end: ``DATE_DEB``, ``DATE_FIN`` (``start <= end``).
        hours: ``HTA`` authorised hours.
        amount: ``MTA`` authorised amount (euros).
        authorised_headcount: ``EFF_AUTO``.
        motive: ``MOTIF_RECOURS_SE``.
        perimeter: ``PERIMETRE_AP`` as delivered.
    """

    line: int
    id_da: str
    siret: str
    siren: str
    company_headcount: int | None
    establishment_headcount: int | None
    status_on: date | None
    start: date
    end: date
    hours: float | None
    amount: Decimal | None
    authorised_headcount: int | None
    motive: ApMotif | None
    perimeter: str | None


FTE_MONTHLY_HOURS = 151.67


@dataclass(frozen=True, slots=True, kw_only=True)
class ApConsommation:
    """Short-time work hours used in a month, from ``consommation_ap*``.

    Attributes:
        month: ``MOIS`` (day 1).
        hours: ``HEURES``.
        amount: ``MONTANTS`` (euros).
        headcount: ``EFFECTIFS``.
    """

    line: int
    id_da: str
    siret: str
    siren: str
    month: date
    hours: float
    amount: Decimal | None
    headcount: int | None

    @property
    def fte(self) -> float:
        """Full-time equivalent: hours / 151.67."""
        return self.hours / FTE_MONTHLY_HOURS


# --- 4. Banque de France -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BdfRatios:
    """Yearly financial ratios of a company, from ``bdf_ratios*``.

    Ratios are in %, ``delai_fournisseurs`` in days; the names are the file's.

    Attributes:
        year: ``annee``.
        closing_date: ``arrete_bilan``.
    """

    line: int
    siren: str
    year: int
    closing_date: date
    poids_frng: float | None
    taux_marge: float | None
    delai_fournisseurs: float | None
    poids_dettes_fiscales_sociales: float | None
    poids_financement_court_terme: float | None
    poids_frais_financiers: float | None

    @property
    def known_not_before(self) -> date:
        """The earliest date the ratios may be known: 4 months after closing."""
        m = self.closing_date.month + 4
        y = self.closing_date.year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        day = min(self.closing_date.day, _days_in_month(y, m))
        return date(y, m, day)


def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return (nxt - date(year, month, 1)).days


# --- 5. BODACC -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BodaccJudgment:
    """A published insolvency judgment about one company, from ``bodacc_pcl*``.

    A notice naming several SIRENs yields one record per SIREN (same ``id``).

    Attributes:
        id: the notice ``id``.
        published_on: ``dateparution``.
        announcement_number: ``numeroannonce``.
        family: ``familleavis`` (``collective``).
        notice_type: ``typeavis``.
        departement: ``numerodepartement``.
        nature: ``jugement_nature`` as delivered.
        judgment_date: ``jugement_date`` (None when empty).
        kind: the proceedings kind named by the nature; None when the nature does
            not name it (e.g. ``plan de continuation``).
        stage: canonical stage named by the nature.
    """

    line: int
    id: str
    siren: str
    published_on: date
    announcement_number: str | None
    family: str
    notice_type: str | None
    departement: str | None
    tribunal: str | None
    nature: str
    judgment_date: date | None
    kind: ProcedureKind | None
    stage: ProcedureStage


# --- 6. Ownership, directors, groups ---------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Personne:
    """A pseudonymous person, from ``personnes*``."""

    line: int
    personne_id: str
    last_name: str | None
    first_names: str | None
    birth_year: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LienCapitalistique:
    """An ownership link, from ``liens_capitalistiques*``.

    Exactly one of ``owner_siren`` and ``owner_personne_id`` is set.

    Attributes:
        percentage: ``pourcentage`` (0 to 100).
        since, until: ``date_debut``, ``date_fin`` (None = current).
    """

    line: int
    owner_siren: str | None
    owner_personne_id: str | None
    owned_siren: str
    percentage: float | None
    nature: OwnershipNature
    since: date | None
    until: date | None

    @property
    def identity(self) -> tuple[str, str, str, date | None]:
        """(owner kind, owner id, owned SIREN, ``date_debut``): a later row with it replaces this one."""
        if self.owner_siren is not None:
            return ("siren", self.owner_siren, self.owned_siren, self.since)
        return ("personne", self.owner_personne_id or "", self.owned_siren, self.since)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dirigeant:
    """A directorship, from ``dirigeants*``.

    Exactly one of ``personne_id`` and ``director_siren`` is set.

    Attributes:
        siren: the company directed.
        director_siren: ``dirigeant_siren``, when the director is a company.
        role: ``qualite`` as delivered.
    """

    line: int
    siren: str
    personne_id: str | None
    director_siren: str | None
    role: str
    since: date | None
    until: date | None

    @property
    def identity(self) -> tuple[str, str, str, str, date | None]:
        """(``siren``, director kind, director id, ``qualite``, ``date_debut``)."""
        if self.director_siren is not None:
            return (self.siren, "siren", self.director_siren, self.role, self.since)
        return (self.siren, "personne", self.personne_id or "", self.role, self.since)


@dataclass(frozen=True, slots=True, kw_only=True)
class TeteDeGroupe:
    """The group head of a company, from ``tetes_de_groupe*``.

    Attributes:
        head_siren: ``siren_tete_de_groupe``.
        group_name: ``nom_groupe``.
        reference_date: ``date_reference``.
    """

    line: int
    siren: str
    head_siren: str
    group_name: str | None
    reference_date: date | None


# --- 7. Supplier flows ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class FluxFacturation:
    """Monthly e-invoicing between a supplier and a client, from ``flux_facturation*``.

    Attributes:
        month: ``mois`` (day 1).
        amount: ``montant_ht`` (euros excluding VAT).
        invoice_count: ``nb_factures``.
    """

    line: int
    supplier_siren: str
    client_siren: str
    month: date
    amount: Decimal
    invoice_count: int | None


Record = (
    UniteLegale
    | Etablissement
    | EffectifMonth
    | CotisationDue
    | DebitLine
    | Delai
    | Ccsf
    | PcollUrssaf
    | ApDemande
    | ApConsommation
    | BdfRatios
    | BodaccJudgment
    | Personne
    | LienCapitalistique
    | Dirigeant
    | TeteDeGroupe
    | FluxFacturation
)


# --- Nothing lost ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reject:
    """A row (or a cell) that could not be read; the rest of the file goes on.

    Attributes:
        file: the file name (no folder).
        line: 1-based line number (the header is line 1).
        column: the column at fault as named in the file's header, None for a
            line-level fault (e.g. a truncated line).
        value: the offending value as delivered, None when there is none.
        reason: what is wrong, in plain words.
    """

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str


class FileRejected(Exception):
    """A whole file cannot be read (missing header or column, encoding, delimiter…).

    Readers raise it before yielding anything, so a rejected file loads nothing.

    Attributes:
        file: the file name (no folder).
        reason: what is wrong, in plain words.
    """

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason
