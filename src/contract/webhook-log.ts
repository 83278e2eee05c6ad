// A job's webhook delivery log (GET /api/jobs/{id}/webhooks, docs/api.md §6) as the API
// answers it: the schema gives the route's OpenAPI and the type the sender builds it as.
import { Type, type Static, type TSchema } from "typebox";

const orNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const WebhookAttempt = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  at: Type.String({ format: "date-time" }),
  duration_ms: Type.Integer({ minimum: 0 }),
  status_code: orNull(Type.Integer({ description: "The receiver's answer; null: none." })),
  error: orNull(Type.String({ description: "Why the attempt failed; null: delivered." })),
});

export const WebhookDelivery = Type.Object({
  id: Type.String({ description: "The message's webhook-id, the same on every attempt." }),
  type: Type.String({ description: "job.start, job.progress, job.completed, ..." }),
  url: Type.String({ description: "The receiver, without its query string." }),
  status: Type.Union([Type.Literal("pending"), Type.Literal("delivered"), Type.Literal("failed")]),
  created_at: Type.String({ format: "date-time" }),
  next_attempt_at: orNull(Type.String({ format: "date-time" })),
  attempts: Type.Array(WebhookAttempt),
});

/** One message as the delivery log shows it. */
export type DeliveryLogEntry = Static<typeof WebhookDelivery>;
