// A real full disk for tests: a small tmpfs (mounting needs root, or CAP_SYS_ADMIN) and a
// filler file that takes its last byte.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./engine.js";

/** Mounts a tmpfs of `megabytes` at `dir` (root only; throws elsewhere). */
export function mountTmpfs(dir: string, megabytes: number): void {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir], {
    stdio: "ignore",
  });
}

export function unmount(dir: string): void {
  execFileSync("umount", [dir]);
}

/** Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN): tried on a scratch dir. */
export function canMountTmpfs(): boolean {
  const probe = makeTempDir("mount-probe");
  try {
    mountTmpfs(probe, 1);
    unmount(probe);
    return true;
  } catch {
    return false;
  }
}

/** Writes a filler file until the disk is full (ENOSPC), to its last byte; returns its path. */
export function fillDisk(dir: string, name = "filler"): string {
  const filler = join(dir, name);
  writeFileSync(filler, "");
  for (const size of [1024 * 1024, 4096, 1]) {
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) writeFileSync(filler, chunk, { flag: "a" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
    }
  }
  return filler;
}
