"""Columnar readers for the largest measure files (same rows and rejects as the row readers)."""
