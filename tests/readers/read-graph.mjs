// Read an export with the JavaScript libraries that Gephi Lite and Cytoscape use.
// Usage: node read-graph.mjs gexf|graphml|cyjs FILE
// Prints JSON: {nodes: [{id, attributes}], edges: [{source, target, attributes}]}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [format, path] = process.argv.slice(2);
const text = readFileSync(path, "utf8");
let nodes;
let edges;
if (format === "cyjs") {
  const cytoscape = require("cytoscape");
  const document = JSON.parse(text);
  // "preset" keeps the positions of the file, as Cytoscape desktop does.
  const cy = cytoscape({ headless: true, elements: document.elements, layout: { name: "preset" } });
  nodes = cy.nodes().map((n) => ({ id: n.id(), attributes: n.data(), position: n.position() }));
  edges = cy.edges().map((e) => ({
    source: e.source().id(), target: e.target().id(), attributes: e.data(),
  }));
} else {
  const Graph = require("graphology");
  const parser = require(format === "gexf" ? "graphology-gexf" : "graphology-graphml");
  const graph = parser.parse(Graph, text);
  nodes = graph.mapNodes((id, attributes) => ({ id, attributes }));
  edges = graph.mapEdges((id, attributes, source, target) => ({ source, target, attributes }));
}
process.stdout.write(JSON.stringify({ nodes, edges }) + "\n");
