// Job events for live clients (SSE): each job has a numbered stream; the last events
// are kept so a client that reconnects with Last-Event-ID resumes where it left off.
// Numbering starts from this process's start time (in microseconds), so ids keep
// growing across a restart: a client resuming with an id from before the restart
// gets everything the new process still knows, not nothing.
import { EventEmitter } from "node:events";

export type JobEventName = "status" | "progress" | "preview" | "item" | "done";

export interface JobEvent {
  /** Increasing per job, across restarts too: the SSE `id:`. */
  id: number;
  name: JobEventName;
  data: unknown;
}

interface JobStream {
  nextId: number;
  recent: JobEvent[];
}

const KEEP_PER_JOB = 200;
const KEEP_JOBS = 1000;

export class JobEventHub {
  readonly #streams = new Map<string, JobStream>();
  readonly #emitter = new EventEmitter<Record<string, [JobEvent]>>();
  readonly #firstId: number;

  constructor(firstId: number = Date.now() * 1000) {
    this.#firstId = firstId;
    this.#emitter.setMaxListeners(0); // many SSE clients may watch one job
  }

  publish(jobId: string, name: JobEventName, data: unknown): JobEvent {
    const stream = this.#stream(jobId);
    const event: JobEvent = { id: stream.nextId++, name, data };
    stream.recent.push(event);
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
      stream = { nextId: this.#firstId, recent: [] };
      this.#streams.set(jobId, stream);
      if (this.#streams.size > KEEP_JOBS) {
        const oldest = this.#streams.keys().next().value;
        if (oldest !== undefined) this.#streams.delete(oldest);
      }
    }
    return stream;
  }
}
