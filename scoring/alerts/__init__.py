"""scoring.alerts package."""
