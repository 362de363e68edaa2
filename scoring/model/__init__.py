"""scoring.model package."""
