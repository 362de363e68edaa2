"""signaux package."""
