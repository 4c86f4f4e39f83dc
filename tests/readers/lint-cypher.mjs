// Lint a Cypher script with Neo4j's own Cypher front end (parser and semantic analysis).
// Usage: node lint-cypher.mjs FILE  -> JSON list of {line, severity, message} on stdout.
import { readFileSync } from "node:fs";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const text = readFileSync(process.argv[2], "utf8");
const { diagnostics } = lintCypherQuery(text, {}, { consoleCommandsEnabled: true });
const found = diagnostics.map((d) => ({
  line: d.range.start.line + 1,
  severity: d.severity === 1 ? "error" : d.severity === 2 ? "warning" : "information",
  message: d.message,
}));
process.stdout.write(JSON.stringify(found) + "\n");
