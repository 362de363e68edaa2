"""GraphQL documents of the company-page tests."""

from __future__ import annotations

PAGE_FIELDS = """
fragment Page on Company {
  siren name departement active headOfficeSiret inProcedure visibleBlocks
  procedures { kind stage judgmentDate nature }
  tradeExposure { sales { partners shareAtRisk } purchases { partners shareAtRisk } }
  headOffice { siret headOffice active }
  establishments { siret nic name headOffice active }
  group { id name referenceDate memberCount head { siren name } members { siren name } }
  owners { kind percentage nature since until current person { lastName firstNames } companySiren
           company { siren name } }
  directors { kind role since until current person { lastName firstNames } company { siren name } }
  scores {
    latest { period p12 p18 p24 modelVersion alert
             explanationGroups { group contribution } topFeatures { feature contribution }
             contagion { group siren weight judgment company { siren name departement } } }
    history { period p12 modelVersion }
  }
  urssaf { debts { month total employeeShare employerShare } contributions { periodStart months due paid } }
  headcount { months { month headcount } }
  shortTimeWork { months { month hoursUsed fteUsed amountUsed } }
  bdf { ratios { year closedOn tauxMarge } }
}
"""

PAGE = PAGE_FIELDS + "query P($siren: String!) { company(siren: $siren) { ...Page } }"

MEMBERS_PAGE = PAGE_FIELDS + "query M($siren: String!) { company(siren: $siren) { group { members { ...Page } } } }"

ALL_ROLES = ("urssaf", "dgefp", "bdf", "score")
AGENCY = "URSSAF-21"
