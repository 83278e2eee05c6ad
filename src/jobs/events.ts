// Job events for live clients (SSE): each job has a stream; the last events are kept
// so a client that reconnects with Last-Event-ID resumes where it left off.
// One counter numbers the events of all jobs, so a job's ids only ever grow, even
// when its stream is forgotten and started again. The counter starts from this
// process's start time (in microseconds), so ids keep growing across a restart too:
// a client resuming with an id from before gets everything the process still knows.
import { EventEmitter } from "node:events";

export type JobEventName = "status" | "progress" | "preview" | "item" | "done";

export interface JobEvent {
  /** Increasing per job, across restarts too: the SSE `id:`. */
  id: number;
  name: JobEventName;
  data: unknown;
}

interface JobStream {
  recent: JobEvent[];
  finished: boolean;
}

const KEEP_PER_JOB = 200;
const KEEP_JOBS = 1000;

export class JobEventHub {
  readonly #streams = new Map<string, JobStream>();
  readonly #emitter = new EventEmitter<Record<string, [JobEvent]>>();
  #nextId: number;

  constructor(firstId: number = Date.now() * 1000) {
    this.#nextId = firstId;
    this.#emitter.setMaxListeners(0); // many SSE clients may watch one job
  }

  publish(jobId: string, name: JobEventName, data: unknown): JobEvent {
    const stream = this.#stream(jobId);
    const event: JobEvent = { id: this.#nextId++, name, data };
    stream.recent.push(event);
    stream.finished = name === "done";
    if (stream.recent.length > KEEP_PER_JOB) stream.recent.shift();
    this.#emitter.emit(jobId, event);
    return event;
  }

  /** Events after `lastEventId` still kept, oldest first. */
  since(jobId: string, lastEventId: number): JobEvent[] {
    return (this.#streams.get(jobId)?.recent ?? []).filter((event) => event.id > lastEventId);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(jobId, listener);
    return () => this.#emitter.off(jobId, listener);
  }

  #stream(jobId: string): JobStream {
    let stream = this.#streams.get(jobId);
    if (!stream) {
      stream = { recent: [], finished: false };
      this.#streams.set(jobId, stream);
      if (this.#streams.size > KEEP_JOBS) this.#forgetOne();
    }
    return stream;
  }

  /** Forgets the oldest finished job's stream; the oldest of all when none has finished. */
  #forgetOne(): void {
    let victim: string | undefined;
    for (const [jobId, stream] of this.#streams) {
      victim ??= jobId;
      if (stream.finished) {
        victim = jobId;
        break;
      }
    }
    if (victim !== undefined) this.#streams.delete(victim);
  }
}
