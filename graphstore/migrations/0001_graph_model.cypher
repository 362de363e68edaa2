// Natural keys of the graph model (docs/graph-model.md).
CREATE CONSTRAINT company_siren IF NOT EXISTS FOR (n:Company) REQUIRE n.siren IS UNIQUE;
CREATE CONSTRAINT establishment_siret IF NOT EXISTS FOR (n:Establishment) REQUIRE n.siret IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_code IF NOT EXISTS FOR (n:Agency) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT agent_sub IF NOT EXISTS FOR (n:Agent) REQUIRE n.sub IS UNIQUE;
CREATE CONSTRAINT intervention_id IF NOT EXISTS FOR (n:Intervention) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT case_note_id IF NOT EXISTS FOR (n:CaseNote) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT score_id IF NOT EXISTS FOR (n:Score) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT timeline_event_id IF NOT EXISTS FOR (n:TimelineEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT delivery_id IF NOT EXISTS FOR (n:Delivery) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_file_id IF NOT EXISTS FOR (n:SourceFile) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT procedure_collective_id IF NOT EXISTS FOR (n:ProcedureCollective) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (n:Migration) REQUIRE n.version IS UNIQUE;
// Lookups the loaders, the model and the API make.
CREATE INDEX company_departement IF NOT EXISTS FOR (n:Company) ON (n.departement);
CREATE INDEX company_naf IF NOT EXISTS FOR (n:Company) ON (n.naf);
CREATE INDEX establishment_siren IF NOT EXISTS FOR (n:Establishment) ON (n.siren);
CREATE INDEX establishment_departement IF NOT EXISTS FOR (n:Establishment) ON (n.departement);
CREATE INDEX timeline_event_company IF NOT EXISTS FOR (n:TimelineEvent) ON (n.siren, n.occurred_on);
CREATE INDEX score_company_period IF NOT EXISTS FOR (n:Score) ON (n.siren, n.period);
CREATE INDEX alert_region_period IF NOT EXISTS FOR (n:Alert) ON (n.region, n.period);
CREATE INDEX procedure_company IF NOT EXISTS FOR (n:ProcedureCollective) ON (n.siren, n.judgment_date);
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at);
CREATE INDEX owns_since IF NOT EXISTS FOR ()-[r:OWNS]-() ON (r.since);
CREATE INDEX supplies_since IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.since);
// Accent-insensitive name search: the analyzer folds case and diacritics.
CREATE FULLTEXT INDEX company_name IF NOT EXISTS FOR (n:Company) ON EACH [n.name]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
CREATE FULLTEXT INDEX establishment_name IF NOT EXISTS FOR (n:Establishment) ON EACH [n.name, n.commune]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
