// Lookups of the API's audit log and access doctrine (graph_api).
CREATE INDEX audit_entry_sub IF NOT EXISTS FOR (n:AuditEntry) ON (n.sub, n.at);
CREATE INDEX audit_entry_target IF NOT EXISTS FOR (n:AuditEntry) ON (n.target, n.at);
CREATE INDEX audit_entry_agency IF NOT EXISTS FOR (n:AuditEntry) ON (n.agency, n.at);
CREATE INDEX audit_entry_request IF NOT EXISTS FOR (n:AuditEntry) ON (n.request_id);
CREATE INDEX alert_listed IF NOT EXISTS FOR (n:Alert) ON (n.siren, n.listed);
