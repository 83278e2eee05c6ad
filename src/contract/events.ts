// The event streams' timing, which the service and its clients agree on: the service
// sends a heartbeat comment this often, so a client may take a longer silence for a
// connection that died unnoticed.
export const EVENT_STREAM_HEARTBEAT_MS = 15_000;
