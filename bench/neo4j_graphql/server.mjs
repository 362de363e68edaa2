// The benchmark's reference server: @neo4j/graphql on the same Neo4j as signaux's API.
//
// Type definitions follow docs/graph-model.md (property names as stored). The three
// benchmark queries (company page, related companies within 3 hops, search) use the
// generated `companies` query and two @cypher fields written the way a user of the
// library would. No authentication, no access doctrine, no audit: the reference does
// strictly less work per request than signaux's API.
//
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, PORT (default 4000).
// Endpoint: POST /graphql {"query", "variables"} -> {"data", "errors"}.
import http from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { graphql } from "graphql";
import neo4j from "neo4j-driver";

// A hop links two companies directly (OWNS, DIRECTS by a company, SUPPLIES) or through
// one shared person or group, as in graph_api/exposure; three hops, nearest first.
const HOP = `
  MATCH p = (a)-[:OWNS|DIRECTS|MEMBER_OF|SUPPLIES*1..2]-(x:Company)
  WHERE x <> a AND (length(p) = 1 OR NOT nodes(p)[1]:Company)
    AND all(r IN relationships(p) WHERE r.until IS NULL OR r.until >= date())`;

// Each hop reads at most STEP_LIMIT links, as signaux's API does (graph_api/exposure).
const STEP_LIMIT = 20000;
const RELATED = `
  CALL (this) {
    WITH this AS a ${HOP}
    WITH x LIMIT ${STEP_LIMIT}
    RETURN collect(DISTINCT x) AS h1
  }
  CALL (this, h1) {
    UNWIND h1 AS a ${HOP} AND x <> this AND NOT x IN h1
    WITH x LIMIT ${STEP_LIMIT}
    RETURN collect(DISTINCT x) AS h2
  }
  CALL (this, h1, h2) {
    UNWIND h2 AS a ${HOP} AND x <> this AND NOT x IN h1 AND NOT x IN h2
    WITH x LIMIT ${STEP_LIMIT}
    RETURN collect(DISTINCT x) AS h3
  }
  UNWIND h1 + h2 + h3 AS c
  RETURN c LIMIT $first`;

const typeDefs = `#graphql
  type Company @node {
    siren: String!
    name: String
    created_on: Date
    headcount_band: String
    legal_form: String
    naf: String
    category: String
    active: Boolean
    head_office_siret: String
    departement: String
    region: String
    establishments: [Establishment!]! @relationship(type: "PART_OF", direction: IN)
    groups: [Group!]! @relationship(type: "MEMBER_OF", direction: OUT)
    owners: [Party!]! @relationship(type: "OWNS", direction: IN, properties: "Owns")
    directors: [Party!]! @relationship(type: "DIRECTS", direction: IN, properties: "Directs")
    scores: [Score!]! @relationship(type: "FOR", direction: IN)
    related(first: Int = 20): [Company!]! @cypher(statement: """${RELATED}""", columnName: "c")
  }

  type Person @node {
    id: String!
    last_name: String
    first_names: String
  }

  union Party = Company | Person

  type Owns @relationshipProperties {
    percentage: Float
    nature: String
    since: Date
    until: Date
  }

  type Directs @relationshipProperties {
    role: String
    since: Date
    until: Date
  }

  type Establishment @node {
    siret: String!
    name: String
    head_office: Boolean
    postal_code: String
    commune: String
    active: Boolean
  }

  type Group @node {
    id: String!
    name: String
  }

  type Score @node {
    period: String!
    p12: Float
    p18: Float
    p24: Float
    model_version: String
  }

  type Query {
    searchCompanies(text: String!, first: Int = 20): [Company!]!
      @cypher(
        statement: """
        CALL db.index.fulltext.queryNodes('company_name', $text, {limit: $first}) YIELD node
        RETURN node
        """
        columnName: "node"
      )
    searchCount(text: String!): Int!
      @cypher(
        statement: """
        CALL db.index.fulltext.queryNodes('company_name', $text, {limit: 10000}) YIELD node
        RETURN count(node) AS total
        """
        columnName: "total"
      )
  }
`;

const driver = neo4j.driver(
  process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687",
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""),
  { maxConnectionPoolSize: 50, disableLosslessIntegers: true },
);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();

const server = http.createServer(async (req, res) => {
  if (req.method !== "POST" || req.url !== "/graphql") {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const result = await graphql({
    schema,
    source: body.query,
    variableValues: body.variables,
    contextValue: {},
  });
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(result));
});

server.listen(Number(process.env.PORT ?? 4000), "127.0.0.1", () => {
  console.log(`@neo4j/graphql listening on http://127.0.0.1:${server.address().port}/graphql`);
});
