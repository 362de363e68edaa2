"""gnn package."""
