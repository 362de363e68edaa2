// Interventions, alert handling and detection feedback (graph_api.intervention, graph_api.alert).
// Intervention.id and Alert.id are unique since 0001.
CREATE INDEX intervention_siren IF NOT EXISTS FOR (n:Intervention) ON (n.siren, n.opened_at);
CREATE INDEX intervention_status IF NOT EXISTS FOR (n:Intervention) ON (n.status);
CREATE CONSTRAINT detection_feedback_id IF NOT EXISTS FOR (n:DetectionFeedback) REQUIRE n.id IS UNIQUE;
CREATE INDEX detection_feedback_period IF NOT EXISTS FOR (n:DetectionFeedback) ON (n.period);
