"""Company search: full text on the name, exact SIREN or SIRET, filters, cursor pagination."""
