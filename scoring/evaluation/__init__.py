"""scoring.evaluation package."""
