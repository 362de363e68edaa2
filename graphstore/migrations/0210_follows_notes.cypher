// Follows and case notes written through the API (graph_api/follow, graph_api/note).
// One stored version per (note, version number): a second writer of the same
// version fails even if it got past the optimistic check.
CREATE CONSTRAINT note_version_unique IF NOT EXISTS FOR (n:NoteVersion) REQUIRE (n.note_id, n.version) IS UNIQUE;
CREATE INDEX case_note_company IF NOT EXISTS FOR (n:CaseNote) ON (n.siren, n.created_at);
CREATE INDEX case_note_reply_to IF NOT EXISTS FOR (n:CaseNote) ON (n.reply_to);
CREATE INDEX follows_until IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.until);
CREATE INDEX follows_id IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.id);
