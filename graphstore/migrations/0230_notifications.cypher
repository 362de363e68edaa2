// Live updates and notifications (graph_api.live, graph_api.notifications).
// Subscriptions poll alerts and list publications by creation time.
CREATE INDEX alert_created_at IF NOT EXISTS FOR (n:Alert) ON (n.created_at);
CREATE CONSTRAINT detection_list_publication_id IF NOT EXISTS FOR (n:DetectionListPublication) REQUIRE n.id IS UNIQUE;
CREATE INDEX detection_list_publication_at IF NOT EXISTS FOR (n:DetectionListPublication) ON (n.published_at);
// One notification per agency, region, period and channel: the outbox's idempotency key.
CREATE CONSTRAINT notification_id IF NOT EXISTS FOR (n:Notification) REQUIRE n.id IS UNIQUE;
CREATE INDEX notification_due IF NOT EXISTS FOR (n:Notification) ON (n.status, n.next_attempt_at);
CREATE INDEX notification_agency IF NOT EXISTS FOR (n:Notification) ON (n.agency, n.period);
CREATE INDEX delivery_attempt_notification IF NOT EXISTS FOR (n:DeliveryAttempt) ON (n.notification_id);
