"""Limits and protections around the GraphQL endpoint (docs/api-hardening.md)."""
