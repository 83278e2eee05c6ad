// Types of scripts/moto-server.mjs for the TypeScript tests that start it.
export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** Ends the server and waits (bounded) for it to exit. */
  stop(): Promise<void>;
}

export function ensureMotoInstalled(): void;
export function startMoto(): Promise<MotoServer>;
