"""The scripted collaboration scenario that ends ``make demo`` (issue 7, part 8)."""
