"""scoring.features package."""
