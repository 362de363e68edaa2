"""The HTTP and WebSocket entry of GraphQL: authentication gate and strawberry view."""
