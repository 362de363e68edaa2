"""Live updates: GraphQL subscriptions over graphql-transport-ws, polling Neo4j."""
