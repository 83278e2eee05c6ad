// The leased queue of cluster mode on PostgreSQL (docs/cluster.md): an agent claims a
// pending job by id under a lease that the database's clock times, renews it while the
// job runs, and writes its progress and result naming the lease's token: a write whose
// token is no longer the job's does nothing. One reaper at a time (an advisory lock)
// takes back the jobs whose lease expired.
import { toJson } from "./columns.js";
import type { AgentInfo, CandidateQuery, Lease, Renewal } from "./leases.js";
import type { Sql } from "./postgres-connection.js";
import { JOB_COLUMNS, SQL } from "./postgres-statements.js";
import { INITIAL_PROGRESS_JSON, now, type JobRow } from "./records.js";
import type { JobError, JobProgress, JobResult, RecoveryReport } from "./types.js";

/** pg_try_advisory_xact_lock key of the reaper ("fpreaper" in ASCII). */
export const REAPER_LOCK = 0x6670726561706572n;

/** `ms` from the database's now, as SQL: the one clock every host agrees on. */
const fromNow = (placeholder: string) =>
  `now() + (${placeholder}::double precision * interval '1 millisecond')`;

/** The last error of a job whose lease expired and that runs again. */
const LEASE_EXPIRED: JobError = {
  code: "interrupted",
  message:
    "the lease of its run expired: its host stopped renewing it (it died, was cut off or paused)",
};

/** `text` (a statement that ends in its WHERE clause) only while `lease` is held. */
function whileHeld(text: string, params: unknown[], lease: Lease): [string, unknown[]] {
  const owner = params.length + 1;
  return [
    `${text} AND lease_owner = $${owner} AND lease_token = $${owner + 1}`,
    [...params, lease.owner, lease.token],
  ];
}

async function changedWhileHeld(
  sql: Sql,
  text: string,
  params: unknown[],
  lease: Lease,
): Promise<boolean> {
  return (await sql.run(...whileHeld(text, params, lease))) === 1;
}

export function candidateRows(sql: Sql, query: CandidateQuery): Promise<JobRow[]> {
  // Per API key its first `perKey` by priority, then age (what the policy weighs
  // first); in all, every key's first before any key's second, so that a cut at `limit`
  // still shows fair share every key it can.
  return sql.rows<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM (
       SELECT *, row_number() OVER (PARTITION BY api_key_hash ORDER BY priority DESC, seq) AS rank
       FROM jobs
       WHERE status = 'pending' AND ($1::text[] IS NULL OR type = ANY($1::text[]))
     ) AS ranked
     WHERE rank <= $2
     ORDER BY rank, priority DESC, seq
     LIMIT $3`,
    [query.types ?? null, query.perKey, query.limit],
  );
}

export async function claim(
  sql: Sql,
  jobId: string,
  owner: string,
  leaseMs: number,
): Promise<Lease | undefined> {
  const [row] = await sql.rows<{ attempts: number; lease_token: string }>(
    `UPDATE jobs SET status = 'processing', started_at = $2, attempts = attempts + 1,
                     lease_owner = $3, lease_token = gen_random_uuid()::text,
                     lease_expires_at = ${fromNow("$4")}
     WHERE id = $1 AND status = 'pending'
     RETURNING attempts, lease_token`,
    [jobId, now(), owner, leaseMs],
  );
  if (row === undefined) return undefined;
  return { jobId, owner, token: row.lease_token, attempt: row.attempts };
}

export async function renew(sql: Sql, lease: Lease, leaseMs: number): Promise<Renewal> {
  // The outer SELECT sees the row as it was before the UPDATE: "cancelled" is read off
  // the same snapshot, in one round trip.
  const [row] = await sql.rows<{ held: boolean; cancelled: boolean }>(
    `WITH renewed AS (
       UPDATE jobs SET lease_expires_at = ${fromNow("$4")}
       WHERE id = $1 AND status = 'processing' AND lease_owner = $2 AND lease_token = $3
       RETURNING id
     )
     SELECT EXISTS (SELECT 1 FROM renewed) AS held,
            EXISTS (SELECT 1 FROM jobs WHERE id = $1 AND status = 'cancelled'
                      AND lease_owner = $2 AND lease_token = $3) AS cancelled`,
    [lease.jobId, lease.owner, lease.token, leaseMs],
  );
  return { held: row?.held ?? false, cancelled: row?.cancelled ?? false };
}

export function completeLeased(
  sql: Sql,
  lease: Lease,
  result: JobResult,
  progress?: JobProgress,
): Promise<boolean> {
  const params = [lease.jobId, now(), JSON.stringify(result), toJson(progress), null];
  return changedWhileHeld(sql, SQL.complete, params, lease);
}

export function failLeased(sql: Sql, lease: Lease, error: JobError): Promise<boolean> {
  return changedWhileHeld(sql, SQL.fail, [lease.jobId, now(), JSON.stringify(error), null], lease);
}

export function requeueLeased(sql: Sql, lease: Lease, reason: JobError): Promise<boolean> {
  const params = [lease.jobId, JSON.stringify(reason), INITIAL_PROGRESS_JSON];
  return changedWhileHeld(sql, SQL.requeue, params, lease);
}

export function releaseLeased(sql: Sql, lease: Lease): Promise<boolean> {
  return changedWhileHeld(sql, SQL.yielded, [lease.jobId, null], lease);
}

export function setProgressLeased(sql: Sql, lease: Lease, progress: JobProgress): Promise<boolean> {
  const params = [lease.jobId, JSON.stringify(progress)];
  return changedWhileHeld(sql, SQL.writeProgress, params, lease);
}

/** The running batch's items, locked for the caller's transaction; only while `lease` is held, if given. */
export async function lockedBatchItems(
  sql: Sql,
  jobId: string,
  lease?: Lease,
): Promise<string | null> {
  const [text, params] =
    lease === undefined
      ? [SQL.runningBatchItems, [jobId]]
      : whileHeld(SQL.runningBatchItems, [jobId], lease);
  const [row] = await sql.rows<{ batch_items: string | null }>(`${text} FOR UPDATE`, params);
  return row?.batch_items ?? null;
}

/**
 * Expired leases: requeued with their attempts kept, or failed once maxAttempts are used;
 * in the caller's transaction, by whoever gets the reaper's lock (the others: nothing).
 */
export async function reapExpired(sql: Sql, maxAttempts: number): Promise<RecoveryReport> {
  const [lock] = await sql.rows<{ locked: boolean }>(
    "SELECT pg_try_advisory_xact_lock($1) AS locked",
    [REAPER_LOCK.toString()],
  );
  if (lock?.locked !== true) return { requeued: [], failed: [] };
  const expired = "status = 'processing' AND lease_expires_at < now()";
  const failed = await sql.rows<{ id: string }>(
    `WITH reaped AS (
       UPDATE jobs SET status = 'failed', completed_at = $2,
                       error = json_build_object('code', $3::text,
                                 'message', $4::text || ', ' || attempts || ' times; giving up')
       WHERE ${expired} AND attempts >= $1
       RETURNING id, seq
     )
     SELECT id FROM reaped ORDER BY seq`,
    [maxAttempts, now(), LEASE_EXPIRED.code, LEASE_EXPIRED.message],
  );
  const requeued = await sql.rows<{ id: string }>(
    `WITH reaped AS (
       UPDATE jobs SET status = 'pending', started_at = NULL, error = $1, progress = $2,
                       lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
       WHERE ${expired}
       RETURNING id, seq
     )
     SELECT id FROM reaped ORDER BY seq`,
    [JSON.stringify(LEASE_EXPIRED), INITIAL_PROGRESS_JSON],
  );
  return { requeued: requeued.map((row) => row.id), failed: failed.map((row) => row.id) };
}

export async function heartbeatAgent(
  sql: Sql,
  agent: Omit<AgentInfo, "heartbeatAt" | "startedAt">,
): Promise<void> {
  await sql.run(
    `INSERT INTO agents (id, host, engines, started_at, heartbeat_at)
     VALUES ($1, $2, $3, now(), now())
     ON CONFLICT (id) DO UPDATE
       SET host = excluded.host, engines = excluded.engines, heartbeat_at = now()`,
    [agent.id, agent.host, JSON.stringify(agent.engines)],
  );
}

interface AgentRow {
  id: string;
  host: string;
  engines: string;
  started_at: string;
  heartbeat_at: string;
}

export async function agents(sql: Sql, withinMs: number): Promise<AgentInfo[]> {
  const rows = await sql.rows<AgentRow>(
    `SELECT * FROM agents WHERE heartbeat_at > ${fromNow("-$1")}
     ORDER BY heartbeat_at DESC, id`,
    [withinMs],
  );
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    engines: parseEngines(row.engines),
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
  }));
}

/** An agent's engines as it reported them; anything but a list reads as none. */
function parseEngines(text: string): unknown[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value : [];
}

export async function removeAgent(sql: Sql, id: string): Promise<void> {
  await sql.run("DELETE FROM agents WHERE id = $1", [id]);
}
