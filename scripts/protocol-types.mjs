// Generates src/engine/protocol.gen.ts from protocol/schema.json, the one source of
// truth for the engine protocol. `--check` exits non-zero when the file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src", "engine", "protocol.gen.ts");

export async function renderProtocolTypes() {
  const schema = JSON.parse(readFileSync(join(root, "protocol", "schema.json"), "utf8"));
  return compile({ ...schema, title: "ProtocolDocument" }, "ProtocolDocument", {
    bannerComment:
      "/* Generated from protocol/schema.json by scripts/protocol-types.mjs. Do not edit. */",
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    // Plain arrays, not unions of tuples, for arrays with maxItems.
    maxItems: -1,
    style: { printWidth: 100 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rendered = await renderProtocolTypes();
  if (process.argv.includes("--check")) {
    if (readFileSync(target, "utf8") !== rendered) {
      process.stderr.write("src/engine/protocol.gen.ts is stale: run npm run protocol:types\n");
      process.exit(1);
    }
  } else {
    writeFileSync(target, rendered);
  }
}
