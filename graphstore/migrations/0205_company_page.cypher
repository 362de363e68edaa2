// Company page and timeline (graph_api/company, graph_api/timeline, issue 6).
// Pins: one per (agency, timeline event), kept apart from the event so that a loader re-merging the event never drops it.
CREATE CONSTRAINT timeline_pin_id IF NOT EXISTS FOR (n:TimelinePin) REQUIRE n.id IS UNIQUE;
CREATE INDEX timeline_pin_agency_company IF NOT EXISTS FOR (n:TimelinePin) ON (n.agency, n.siren);
// The latest score of a company (alert-level filter, trade exposure) and current owners/directors.
CREATE INDEX score_company_alert IF NOT EXISTS FOR (n:Score) ON (n.siren, n.alert);
