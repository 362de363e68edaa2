"""Notifications of published detection lists: an outbox in Neo4j and its dispatcher."""
