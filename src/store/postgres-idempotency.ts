// Idempotency keys on PostgreSQL (docs/api.md §6, as src/store/idempotency-keys.ts on
// SQLite): the claim is written in the job's own transaction, and the table's primary
// key decides between concurrent submissions on any replica (the second one's INSERT
// waits for the first to commit, then finds its live claim).
import {
  IdempotencyKeyTakenError,
  type IdempotencyClaim,
  type IdempotentSubmission,
} from "./idempotency-keys.js";
import type { Sql } from "./postgres-connection.js";

interface ClaimRow {
  body_hash: string;
  job_id: string;
}

export async function findIdempotent(
  sql: Sql,
  keyDigest: string,
  now: number,
): Promise<IdempotentSubmission | undefined> {
  const [row] = await sql.rows<ClaimRow>(
    "SELECT body_hash, job_id FROM idempotency_keys WHERE key_digest = $1 AND expires_at > $2",
    [keyDigest, now],
  );
  return row && { bodyHash: row.body_hash, jobId: row.job_id };
}

/**
 * Claims the key for `jobId`, whose row the same transaction has just inserted; throws
 * IdempotencyKeyTakenError (the caller's transaction then rolls back) when a live claim
 * holds it. An expired claim is taken over.
 */
export async function claimIdempotent(
  sql: Sql,
  jobId: string,
  request: IdempotencyClaim,
  now: number,
): Promise<void> {
  await sql.run("DELETE FROM idempotency_keys WHERE expires_at <= $1", [now]);
  const claimed = await sql.run(
    `INSERT INTO idempotency_keys (key_digest, body_hash, job_id, expires_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (key_digest) DO UPDATE
       SET body_hash = excluded.body_hash, job_id = excluded.job_id, expires_at = excluded.expires_at
       WHERE idempotency_keys.expires_at <= $5`,
    [request.keyDigest, request.bodyHash, jobId, request.expiresAt, now],
  );
  if (claimed === 1) return;
  const existing = await findIdempotent(sql, request.keyDigest, now);
  if (!existing) throw new Error("an idempotency key was neither claimed nor held");
  throw new IdempotencyKeyTakenError(existing);
}
