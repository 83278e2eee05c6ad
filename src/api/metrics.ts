// GET /metrics in the Prometheus text format: jobs by type and outcome, the queue,
// the engines, generation and HTTP durations, and the process. Each ServiceMetrics
// has its own registry (not prom-client's global one), so one process can hold
// several apps, as the tests do.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SlotState } from "../engine/pool.js";
import {
  JobEventHub,
  type EventIdSource,
  type JobEvent,
  type JobEventName,
  type JobEventObserver,
  type JobEvents,
} from "../jobs/events.js";
import type { JobRecord } from "../store/types.js";

/** Where the gauges and the job labels come from. */
export interface MetricsSources {
  /** Jobs waiting in the scheduler's queue. */
  queueLength: () => number;
  /** Every engine slot, whatever its state. */
  engineStates: () => readonly SlotState[];
  /** A job's record: events name only the job, its type and run time are in the record. */
  job: (id: string) => Promise<JobRecord | undefined>;
}

/** Seconds: a tiny image takes seconds, a long video on a small GPU an hour. */
const GENERATION_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A terminal job may be announced twice (a cancel and the run's own ending); count it once. */
const REMEMBER_FINISHED = 10_000;

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #sources: MetricsSources;
  readonly #jobsCreated: Counter<"type">;
  readonly #jobsFinished: Counter<"type" | "status">;
  readonly #generationSeconds: Histogram<"type">;
  readonly #httpSeconds: Histogram<"method" | "route" | "status_code">;
  readonly #finished = new Set<string>();

  constructor(sources: MetricsSources) {
    this.#sources = sources;
    const registers = [this.registry];
    this.#jobsCreated = new Counter({
      name: "framepack_jobs_created_total",
      help: "Jobs accepted, by type.",
      labelNames: ["type"],
      registers,
    });
    this.#jobsFinished = new Counter({
      name: "framepack_jobs_finished_total",
      help: "Jobs that reached a final status (completed, failed, cancelled), by type.",
      labelNames: ["type", "status"],
      registers,
    });
    this.#generationSeconds = new Histogram({
      name: "framepack_generation_duration_seconds",
      help: "Run time of completed jobs (their last attempt), by type.",
      labelNames: ["type"],
      buckets: GENERATION_BUCKETS,
      registers,
    });
    this.#httpSeconds = new Histogram({
      name: "framepack_http_request_duration_seconds",
      help: "HTTP requests by method, route pattern and status code; _count is the request count.",
      labelNames: ["method", "route", "status_code"],
      buckets: HTTP_BUCKETS,
      registers,
    });
    new Gauge({
      name: "framepack_queue_length",
      help: "Jobs waiting for an engine.",
      registers,
      collect() {
        this.set(sources.queueLength());
      },
    });
    new Gauge({
      name: "framepack_engines_up",
      help: "Engines started and answering (idle or busy).",
      registers,
      collect() {
        this.set(sources.engineStates().filter((s) => s === "idle" || s === "busy").length);
      },
    });
    new Gauge({
      name: "framepack_engines_busy",
      help: "Engines running a job.",
      registers,
      collect() {
        this.set(sources.engineStates().filter((s) => s === "busy").length);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Feeds the job counters; give it to ObservedJobEventHub. */
  readonly observeJobEvent = (jobId: string, event: JobEvent): void => {
    const counted = countedAs(event);
    if (counted === null) return;
    if (counted !== "created") {
      if (this.#finished.has(jobId)) return;
      this.#rememberFinished(jobId);
    }
    void this.#sources.job(jobId).then(
      (job) => {
        this.#countJob(counted, job);
      },
      () => undefined, // a metric is not worth failing anything for
    );
  };

  observeRequest(request: FastifyRequest, reply: FastifyReply): void {
    this.#httpSeconds.observe(
      {
        method: request.method,
        // The pattern, not the URL: one series per route, whatever ids clients send.
        route: request.routeOptions.url ?? "unmatched",
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  }

  #countJob(counted: "created" | "finished", job: JobRecord | undefined): void {
    const type = job?.type ?? "unknown";
    if (counted === "created") {
      this.#jobsCreated.inc({ type });
      return;
    }
    this.#jobsFinished.inc({ type, status: job?.status ?? "unknown" });
    if (job?.status === "completed" && job.startedAt && job.completedAt) {
      const seconds = (Date.parse(job.completedAt) - Date.parse(job.startedAt)) / 1000;
      if (seconds >= 0) this.#generationSeconds.observe({ type }, seconds);
    }
  }

  #rememberFinished(jobId: string): void {
    this.#finished.add(jobId);
    if (this.#finished.size > REMEMBER_FINISHED) {
      const oldest = this.#finished.values().next().value;
      if (oldest !== undefined) this.#finished.delete(oldest);
    }
  }
}

/** "created": the first `pending` status (a retry's carries `retry`); "finished": `done`. */
function countedAs(event: JobEvent): "created" | "finished" | null {
  const name: JobEventName = event.name;
  if (name === "done") return "finished";
  const data = event.data as { status?: string; retry?: unknown } | null;
  if (name === "status" && data?.status === "pending" && data.retry === undefined) {
    return "created";
  }
  return null;
}

/**
 * The one-box job event hub that also tells an observer about every event. The hub's own
 * subscriptions are per job; metrics need all jobs, and the service publishes every
 * status change here already. Started, it takes its ids from `ids` (the job store).
 */
export class ObservedJobEventHub extends JobEventHub implements JobEvents {
  readonly #observer: JobEventObserver;
  readonly #ids: EventIdSource | undefined;

  constructor(observer: JobEventObserver, ids?: EventIdSource) {
    super();
    this.#observer = observer;
    this.#ids = ids;
  }

  async start(): Promise<void> {
    if (this.#ids) await this.useIds(this.#ids); // ids continue those of earlier runs
  }

  close(): Promise<void> {
    return Promise.resolve(); // nothing is kept beyond the process
  }

  override publish(jobId: string, name: JobEventName, data: unknown): JobEvent {
    const event = super.publish(jobId, name, data);
    this.#observer(jobId, event);
    return event;
  }
}

/** Times every request and serves GET /metrics (behind the API key when keys are set). */
export function installMetrics(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(request, reply);
    done();
  });
  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
