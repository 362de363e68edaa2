// Scoring and alerts: look-ups by period (novelty of alerts, monthly lists).
CREATE INDEX score_period IF NOT EXISTS FOR (n:Score) ON (n.period);
CREATE INDEX alert_company_period IF NOT EXISTS FOR (n:Alert) ON (n.siren, n.period);
