// The layering of docs/architecture.md §2, checked on the import statements of the
// TypeScript sources: the contract imports nothing of the server, no folder reaches into
// the HTTP layer, and the folders of src/ import each other without cycles.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.js";

interface Import {
  from: string;
  to: string;
}

function sources(folder: string): string[] {
  return readdirSync(join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)));
}

/** Relative imports (static, dynamic and re-exports) of every source file. */
function imports(files: readonly string[]): Import[] {
  return files.flatMap((file) => {
    const text = readFileSync(join(PROJECT_ROOT, file), "utf8");
    const targets = text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g);
    return [...targets].map((match) => ({
      from: file,
      to: relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), match[1] ?? "")),
    }));
  });
}

/** "src/jobs" for src/jobs/runner.ts; "src" for the composition roots (src/main.ts, ...). */
function area(path: string): string {
  const parts = path.split(sep);
  if (parts[0] === "web") return "web";
  return parts.length > 2 ? `${parts[0] ?? ""}/${parts[1] ?? ""}` : "src";
}

const all = imports([...sources("src"), ...sources("web/src")]);
const crossing = all.filter((edge) => area(edge.from) !== area(edge.to));

function importersOf(target: string): string[] {
  return crossing
    .filter((edge) => area(edge.to) === target)
    .map((edge) => `${edge.from} -> ${edge.to}`);
}

describe("the source tree's layering", () => {
  it("finds the imports it checks", () => {
    expect(crossing.length).toBeGreaterThan(50);
  });

  it("only the composition roots import the HTTP layer", () => {
    const outside = importersOf("src/api").filter((line) => !/^src\/[^/]+\.ts /.test(line));
    expect(outside).toEqual([]);
  });

  it("the composition roots are imported by no folder but the CLI (`framepack serve`)", () => {
    const roots = /^src\/(main|service|openapi-document)\.js$/;
    const reached = crossing
      .filter((edge) => roots.test(edge.to) && area(edge.from) !== "src/cli")
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(reached).toEqual([]);
  });

  it("the contract imports nothing of the server but the engine protocol's types", () => {
    const reached = crossing
      .filter((edge) => area(edge.from) === "src/contract")
      .map((edge) => edge.to);
    expect(reached).toEqual(["src/engine/protocol.js"]);
  });

  it("the web page and the CLI take the contract and the client, not the server's parts", () => {
    const allowed = new Set(["src/contract", "src/client", "src/engine", "web", "src/cli"]);
    const reached = crossing
      .filter((edge) => area(edge.from) === "web" && !allowed.has(area(edge.to)))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(reached).toEqual([]);
  });

  it("the folders of src/ import each other without cycles", () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of crossing) {
      if (area(edge.from) === "web" || area(edge.to) === "src") continue;
      const targets = graph.get(area(edge.from)) ?? new Set<string>();
      targets.add(area(edge.to));
      graph.set(area(edge.from), targets);
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" -> "));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
