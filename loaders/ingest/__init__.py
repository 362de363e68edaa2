"""Graph and measure-store ingest of the records read from a delivery's files."""
