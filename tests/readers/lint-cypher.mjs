// Lint a Cypher script with Neo4j's own Cypher front end (parser and semantic analysis).
// Usage: node lint-cypher.mjs FILE  -> JSON list of {line, severity, message} on stdout.
// Statements (each ending with ";" at the end of a line) are linted one by one: the front
// end takes minutes on a long script at once, and seconds statement by statement.
import { readFileSync } from "node:fs";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const lines = readFileSync(process.argv[2], "utf8").split("\n");
const found = [];
let start = 0;
for (let i = 0; i < lines.length; i++) {
  if (!lines[i].trimEnd().endsWith(";") && i < lines.length - 1) continue;
  const statement = lines.slice(start, i + 1).join("\n");
  if (statement.trim()) {
    const { diagnostics } = lintCypherQuery(statement, {}, { consoleCommandsEnabled: true });
    for (const d of diagnostics) {
      found.push({
        line: start + d.range.start.line + 1,
        severity: d.severity === 1 ? "error" : d.severity === 2 ? "warning" : "information",
        message: d.message,
      });
    }
  }
  start = i + 1;
}
process.stdout.write(JSON.stringify(found) + "\n");
