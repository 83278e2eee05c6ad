// Generates the client SDK's types, src/client/openapi.gen.ts, from the OpenAPI document
// the service serves, built from source without engines. `--check` exits non-zero when
// the committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { runnerImport } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src", "client", "openapi.gen.ts");
const BANNER =
  "/* Generated from the service's OpenAPI document by scripts/client-gen.mjs. Do not edit. */\n\n";

/** The document, loaded from the TypeScript source through Vite's module runner. */
async function loadDocument() {
  const { module } = await runnerImport(join(root, "src", "openapi-document.ts"), {
    configFile: false,
    logLevel: "silent",
  });
  return module.openApiDocument();
}

export async function renderClientTypes() {
  // Fields with a default stay optional in the request types: the server fills them.
  return BANNER + astToString(await openapiTS(await loadDocument(), { defaultNonNullable: false }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rendered = await renderClientTypes();
  if (!process.argv.includes("--check")) writeFileSync(target, rendered);
  else if (readFileSync(target, "utf8") !== rendered) {
    process.stderr.write("src/client/openapi.gen.ts is stale: run npm run client:gen\n");
    process.exit(1);
  }
}
