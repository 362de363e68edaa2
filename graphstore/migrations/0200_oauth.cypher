// The embedded OAuth 2.0 authorization server (graph_api/auth, docs/auth.md).
CREATE CONSTRAINT oauth_client_id IF NOT EXISTS FOR (n:OAuthClient) REQUIRE n.client_id IS UNIQUE;
CREATE CONSTRAINT oauth_code_id IF NOT EXISTS FOR (n:OAuthCode) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT oauth_refresh_token_id IF NOT EXISTS FOR (n:OAuthRefreshToken) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT oauth_revocation_id IF NOT EXISTS FOR (n:OAuthRevocation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agent_credential_sub IF NOT EXISTS FOR (n:AgentCredential) REQUIRE n.sub IS UNIQUE;
// Rotation and reuse detection revoke a whole grant; expired rows are purged by date.
CREATE INDEX oauth_refresh_token_grant IF NOT EXISTS FOR (n:OAuthRefreshToken) ON (n.grant_id);
CREATE INDEX oauth_code_expires IF NOT EXISTS FOR (n:OAuthCode) ON (n.expires_at);
CREATE INDEX oauth_revocation_until IF NOT EXISTS FOR (n:OAuthRevocation) ON (n.until);
