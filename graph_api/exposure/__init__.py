"""Related-company exposure: who a company is tied to within k hops, and who its failure hits."""
