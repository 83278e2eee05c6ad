// The in-process Dispatcher: hands each free engine the queued entry with the highest score
// (policy.ts). Ties go to the earlier enqueuedAt, then to the earlier enqueue() call.
//
// Fair share: an entry's key load is the number of *other* entries of its API key that are
// queued or were dispatched within the fair-share window. All entries of one key share the
// same penalty, so fair share only reorders work between keys, never within one. Dispatching
// an entry moves it from "queued" to "dispatched", leaving its key's load unchanged, so the
// order position() reports is exactly the order repeated next() calls follow at that time.
//
// Cost, n queued entries: enqueue, remove, size and countByKey are O(1); next() and
// position() are one O(n) pass each (no sort), fine for tens of thousands of entries.
// `now` must not go backwards between calls: expired dispatches are forgotten.
import { assertValidPolicy, mayPreempt, score, type SchedulerPolicy } from "./policy.js";
import type { Dispatcher, EngineLoadout, EngineSlot, QueueEntry } from "./types.js";

type ApiKey = string | null;

interface QueuedEntry {
  entry: QueueEntry;
  /** Enqueue order, the last tie-break. */
  seq: number;
}

interface ScoredEntry extends QueuedEntry {
  score: number;
}

interface Dispatch {
  at: number;
  key: ApiKey;
}

export class PriorityDispatcher implements Dispatcher {
  readonly #policy: SchedulerPolicy;
  readonly #queued = new Map<string, QueuedEntry>();
  readonly #queuedByKey = new Map<ApiKey, number>();
  /** Dispatches still inside the fair-share window, oldest first. */
  readonly #recent: Dispatch[] = [];
  readonly #recentByKey = new Map<ApiKey, number>();
  #nextSeq = 0;

  constructor(policy: SchedulerPolicy) {
    assertValidPolicy(policy);
    this.#policy = policy;
  }

  enqueue(entry: QueueEntry): void {
    if (this.#queued.has(entry.id)) throw new Error(`queue entry ${entry.id} is already queued`);
    this.#queued.set(entry.id, { entry, seq: this.#nextSeq++ });
    addCount(this.#queuedByKey, entry.apiKeyHash, 1);
  }

  remove(entryId: string): boolean {
    const queued = this.#queued.get(entryId);
    if (!queued) return false;
    this.#queued.delete(entryId);
    addCount(this.#queuedByKey, queued.entry.apiKeyHash, -1);
    return true;
  }

  next(
    engine: EngineSlot,
    now: number,
    startable?: (entry: QueueEntry) => boolean,
  ): QueueEntry | undefined {
    this.#forgetExpiredDispatches(now);
    const best = this.#best(engine.loadout, now, startable);
    if (!best) return undefined;
    const { entry } = best;
    this.remove(entry.id);
    this.#recent.push({ at: now, key: entry.apiKeyHash });
    addCount(this.#recentByKey, entry.apiKeyHash, 1);
    return entry;
  }

  preemptor(
    running: QueueEntry,
    engine: EngineSlot,
    yields: number,
    now: number,
  ): QueueEntry | undefined {
    this.#forgetExpiredDispatches(now);
    const best = this.#best(engine.loadout, now);
    if (!best) return undefined;
    // Scored as if queued again: it was dispatched, so its key's load counts it once already.
    const current = { ...this.#scored({ entry: running, seq: -1 }, engine.loadout, now), yields };
    return mayPreempt(best, current, this.#policy) ? best.entry : undefined;
  }

  /** The position for an engine with nothing loaded, the neutral case. */
  position(entryId: string, now: number): number | undefined {
    const queued = this.#queued.get(entryId);
    if (!queued) return undefined;
    this.#forgetExpiredDispatches(now);
    const target = this.#scored(queued, null, now);
    let ahead = 0;
    for (const other of this.#queued.values()) {
      if (comesBefore(this.#scored(other, null, now), target)) ahead++;
    }
    return ahead;
  }

  size(): number {
    return this.#queued.size;
  }

  countByKey(apiKeyHash: string | null): number {
    return this.#queuedByKey.get(apiKeyHash) ?? 0;
  }

  #best(
    loadout: EngineLoadout | null,
    now: number,
    startable?: (entry: QueueEntry) => boolean,
  ): ScoredEntry | undefined {
    let best: ScoredEntry | undefined;
    for (const queued of this.#queued.values()) {
      if (startable && !startable(queued.entry)) continue;
      const candidate = this.#scored(queued, loadout, now);
      if (!best || comesBefore(candidate, best)) best = candidate;
    }
    return best;
  }

  #scored(queued: QueuedEntry, loadout: EngineLoadout | null, now: number): ScoredEntry {
    const key = queued.entry.apiKeyHash;
    const keyLoad = this.countByKey(key) - 1 + (this.#recentByKey.get(key) ?? 0);
    return { ...queued, score: score(queued.entry, { now, loadout, keyLoad }, this.#policy) };
  }

  #forgetExpiredDispatches(now: number): void {
    const windowMs = this.#policy.fairShareWindowSeconds * 1000;
    let expired = 0;
    for (const dispatch of this.#recent) {
      if (dispatch.at + windowMs > now) break;
      addCount(this.#recentByKey, dispatch.key, -1);
      expired++;
    }
    this.#recent.splice(0, expired);
  }
}

function comesBefore(a: ScoredEntry, b: ScoredEntry): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.entry.enqueuedAt !== b.entry.enqueuedAt) return a.entry.enqueuedAt < b.entry.enqueuedAt;
  return a.seq < b.seq;
}

/** Adds delta to a per-key count, dropping keys that reach zero so the maps stay small. */
function addCount(counts: Map<ApiKey, number>, key: ApiKey, delta: number): void {
  const count = (counts.get(key) ?? 0) + delta;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
