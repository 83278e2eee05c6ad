// A network partition for tests (root only): a network namespace joined to this host by
// a veth pair on a private subnet. A process started inside it reaches the host only over
// that link; cut() takes the link down (a partition), heal() brings it back.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface PartitionableLink {
  /** Prefix a command with these to run it inside the namespace. */
  readonly exec: string[];
  /** This host's address on the link (what the namespace connects to). */
  readonly hostAddress: string;
  /** The subnet of the link, for a server's allow list. */
  readonly subnet: string;
  cut(): void;
  heal(): void;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });

/**
 * Creates the namespace and its link, or says why it cannot (not root, no `ip`, no
 * namespaces in this container): the caller skips with that message.
 */
export function createPartitionableLink(): PartitionableLink | string {
  if (process.getuid?.() !== 0) return "network namespaces need root";
  const tag = randomBytes(3).toString("hex");
  const ns = `fp-${tag}`;
  const hostSide = `fph${tag}`;
  const nsSide = `fpn${tag}`;
  // A /30 of 10.213.x.y per link, so that links of parallel test files never collide.
  const third = randomBytes(1)[0] ?? 0;
  const fourth = (randomBytes(1)[0] ?? 0) & 0xfc;
  const hostAddress = `10.213.${third}.${fourth + 1}`;
  const nsAddress = `10.213.${third}.${fourth + 2}`;
  try {
    ip("netns", "add", ns);
    ip("link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
    ip("link", "set", nsSide, "netns", ns);
    ip("addr", "add", `${hostAddress}/30`, "dev", hostSide);
    ip("link", "set", hostSide, "up");
    ip("netns", "exec", ns, "ip", "addr", "add", `${nsAddress}/30`, "dev", nsSide);
    ip("netns", "exec", ns, "ip", "link", "set", nsSide, "up");
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  } catch (error) {
    removeQuietly(ns, hostSide);
    return `network namespaces are not allowed here: ${(error as Error).message.split("\n")[0] ?? ""}`;
  }
  return {
    exec: ["ip", "netns", "exec", ns],
    hostAddress,
    subnet: `${hostAddress}/30`,
    cut: () => ip("link", "set", hostSide, "down"),
    heal: () => {
      ip("link", "set", hostSide, "up");
    },
    remove: () => {
      removeQuietly(ns, hostSide);
    },
  };
}

function removeQuietly(ns: string, hostSide: string): void {
  for (const args of [
    ["link", "del", hostSide],
    ["netns", "del", ns],
  ]) {
    try {
      ip(...args);
    } catch {
      // already gone
    }
  }
}
