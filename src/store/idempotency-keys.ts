// Idempotency keys of submissions (docs/api.md §6): the claim of a key is written in the
// same transaction as the job it makes, so that the table's primary key, not a map in
// one process, decides which of several concurrent submissions makes the job.
import type { Database } from "better-sqlite3";

/** What a submission with an Idempotency-Key claims, written with its job. */
export interface IdempotencyClaim {
  /**
   * A digest of the submitter's API key hash and the key: one tenant's key never meets
   * another's, and the key itself is not stored.
   */
  keyDigest: string;
  /** A digest of the canonical request (route and body, pictures included). */
  bodyHash: string;
  /** Milliseconds since the epoch after which the key is free again. */
  expiresAt: number;
}

/** The live claim of a key: which body it was made with and which job it made. */
export interface IdempotentSubmission {
  bodyHash: string;
  jobId: string;
}

/** A claim that lost to a live claim of the same key; nothing of the submission was stored. */
export class IdempotencyKeyTakenError extends Error {
  constructor(readonly existing: IdempotentSubmission) {
    super("the idempotency key is already claimed");
    this.name = "IdempotencyKeyTakenError";
  }
}

interface ClaimRow {
  body_hash: string;
  job_id: string;
}

/** The statements of the idempotency_keys table (migration 3). */
export function idempotencyStatements(db: Database) {
  const purge = db.prepare<[number]>("DELETE FROM idempotency_keys WHERE expires_at <= ?");
  // An expired claim of the key is taken over; a live one is left alone (no change).
  const claim = db.prepare<[IdempotencyClaim & { jobId: string; now: number }]>(`
    INSERT INTO idempotency_keys (key_digest, body_hash, job_id, expires_at)
    VALUES (@keyDigest, @bodyHash, @jobId, @expiresAt)
    ON CONFLICT (key_digest) DO UPDATE
      SET body_hash = excluded.body_hash, job_id = excluded.job_id, expires_at = excluded.expires_at
      WHERE idempotency_keys.expires_at <= @now`);
  const live = db.prepare<[string, number], ClaimRow>(
    "SELECT body_hash, job_id FROM idempotency_keys WHERE key_digest = ? AND expires_at > ?",
  );
  const find = (keyDigest: string, now: number): IdempotentSubmission | undefined => {
    const row = live.get(keyDigest, now);
    return row && { bodyHash: row.body_hash, jobId: row.job_id };
  };
  return {
    find,
    /**
     * Claims the key for `jobId`, whose row the same transaction has just inserted;
     * throws IdempotencyKeyTakenError (rolling the transaction back) when a live claim
     * holds it.
     */
    claim: (jobId: string, request: IdempotencyClaim, now: number): void => {
      purge.run(now);
      if (claim.run({ ...request, jobId, now }).changes === 1) return;
      const existing = find(request.keyDigest, now);
      if (!existing) throw new Error("an idempotency key was neither claimed nor held");
      throw new IdempotencyKeyTakenError(existing);
    },
  };
}
