// Detection lists: one region's published list of one month (graph_api/detection).
CREATE INDEX alert_region_period IF NOT EXISTS FOR (n:Alert) ON (n.region, n.period);
