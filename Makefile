# The two commands of the README: `make demo` and `make test`.
# Each installs what it needs on a fresh machine (a .venv here, Neo4j's jars from
# Maven Central) and then does its job.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
JAR := graphstore/launcher/target/neo4j-launcher-1.0.0.jar
DEMO_DIR ?= var/demo-region
DEMO_PERIOD ?= 2025-12
DEMO_COMPANIES ?= 14000

.PHONY: install jars lint typecheck test demo clean-data schema

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

jars: $(JAR)

$(JAR): graphstore/launcher/pom.xml $(wildcard graphstore/launcher/src/main/java/fr/signauxfaibles/neo4j/*.java)
	@command -v java >/dev/null || { echo "java not found: install a Java 17 runtime" >&2; exit 1; }
	@command -v mvn >/dev/null || { echo "mvn not found: install Maven" >&2; exit 1; }
	cd graphstore/launcher && mvn -q -B package -DskipTests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The pytest session starts its own Neo4j (or uses NEO4J_URI) and stops it at the end.
test: install jars lint typecheck
	$(BIN)/pytest

schema: install
	$(BIN)/signaux api export-schema

# The whole chain on the default synthetic region: Neo4j, region (generated once),
# load, train, score the latest month, demo accounts, then the API starts, the
# collaboration scenario plays against it (graph_api/demo) and the API stays up.
# One demo password for the seed and the scenario: SIGNAUX_DEMO_PASSWORD, or a random one.
demo: install jars
	$(BIN)/signaux neo4j start
	$(BIN)/signaux db migrate
	@test -f $(DEMO_DIR)/ground_truth/params.json || $(BIN)/signaux synth --out $(DEMO_DIR) --seed 0 --companies $(DEMO_COMPANIES)
	$(BIN)/signaux refresh --from $(DEMO_DIR)/deliveries
	$(BIN)/signaux train --as-of $(DEMO_PERIOD)
	$(BIN)/signaux score --period $(DEMO_PERIOD) --out var/scores-$(DEMO_PERIOD).csv
	$(BIN)/signaux neo4j status
	@export SIGNAUX_DEMO_PASSWORD="$${SIGNAUX_DEMO_PASSWORD:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))')}"; \
	$(BIN)/signaux api seed-demo || exit 1; \
	$(BIN)/signaux serve & server=$$!; \
	trap 'kill $$server; wait $$server' INT TERM; \
	$(BIN)/signaux api demo-scenario || echo "The demo scenario did not complete; the API stays up."; \
	wait $$server

clean-data:
	-$(BIN)/signaux neo4j stop
	rm -rf var
