// LoRA names from requests resolve inside the configured LoRA folder only: relative
// names, no "..", no absolute paths, and the real path (links followed) must stay
// inside the folder's real path.
import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { invalidField } from "../contract/errors.js";
import { LORA_SCALE_DEFAULT } from "../contract/requests.js";

export interface ResolvedLora {
  /** As the client named it. */
  name: string;
  /** Absolute real path inside the LoRA folder. */
  path: string;
  scale: number;
}

const EXTENSION = ".safetensors";

export async function resolveLoras(
  loraDir: string,
  names: readonly string[] | null | undefined,
  scales: readonly number[] | null | undefined,
): Promise<ResolvedLora[]> {
  if (!names?.length) {
    if (scales?.length) throw invalidField("lora_scales", "given without lora_paths");
    return [];
  }
  if (scales && scales.length !== names.length) {
    throw invalidField(
      "lora_scales",
      `has ${scales.length} entries for ${names.length} lora_paths; give one scale per LoRA`,
    );
  }
  const root = await realRoot(loraDir);
  return Promise.all(
    names.map(async (name, index) => ({
      name,
      path: await resolveOne(root, name, `lora_paths[${index}]`),
      scale: scales?.[index] ?? LORA_SCALE_DEFAULT,
    })),
  );
}

async function realRoot(loraDir: string): Promise<string> {
  try {
    return await realpath(loraDir);
  } catch {
    throw invalidField("lora_paths", "no LoRA folder is configured on this server (LORA_DIR)");
  }
}

async function resolveOne(root: string, name: string, field: string): Promise<string> {
  const segments = name.split(/[\\/]/);
  if (isAbsolute(name) || name.includes("\0") || segments.includes("..")) {
    throw invalidField(field, "must be a name inside the LoRA folder, not a path out of it");
  }
  const file = name.endsWith(EXTENSION) ? name : `${name}${EXTENSION}`;
  let real: string;
  try {
    real = await realpath(join(root, file));
  } catch {
    throw invalidField(field, `no LoRA named ${name}`);
  }
  if (!isInside(root, real) || !(await stat(real)).isFile()) {
    throw invalidField(field, "must be a file inside the LoRA folder");
  }
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** Every LoRA file under the folder (links leading out of it are skipped). */
export async function listLoras(loraDir: string): Promise<string[]> {
  let root: string;
  try {
    root = await realpath(loraDir);
  } catch {
    return [];
  }
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith(EXTENSION)) continue;
    const full = join(entry.parentPath, entry.name);
    const real = await realpath(full).catch(() => undefined);
    if (real && isInside(root, real)) names.push(relative(root, full));
  }
  return names.sort();
}
