// Errors of the legacy routes in FastAPI's shapes: {"detail": "<text>"} for an
// HTTPException, {"detail": [{type, loc, msg, input, ctx?}]} for a 422, so clients of
// FramePack-FastAPI read them unchanged.
import type { FastifyError, FastifyInstance } from "fastify";
import { RequestError, type FieldProblem } from "../../contract/errors.js";
import { refusalOf } from "../../jobs/refusals.js";

/** One entry of FastAPI's (pydantic v2's) validation error list. */
export interface FastApiIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** FastAPI's HTTPException: a status and a detail text. */
export class LegacyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "LegacyHttpError";
  }
}

/** FastAPI's RequestValidationError: answered 422 with the issue list. */
export class LegacyValidationError extends Error {
  constructor(readonly issues: FastApiIssue[]) {
    super(issues.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; "));
    this.name = "LegacyValidationError";
  }
}

/** JSON API field names of a video request -> the legacy form's names. */
export function legacyFieldName(field: string): string {
  const name = field.replace(/\[\d+\]$/, "");
  if (name === "lora_paths") return "lora_path";
  if (name === "lora_scales") return "lora_scale";
  return name;
}

function issuesOf(details: FieldProblem[], message: string): FastApiIssue[] {
  const problems = details.length ? details : [{ field: "body", message }];
  return problems.map((problem) => ({
    type: "value_error",
    loc: ["body", legacyFieldName(problem.field)],
    msg: `Value error, ${problem.message}`,
    input: null,
  }));
}

export function installLegacyErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof LegacyHttpError) {
      return reply.status(error.status).send({ detail: error.detail });
    }
    if (error instanceof LegacyValidationError) {
      return reply.status(422).send({ detail: error.issues });
    }
    const refusal = refusalOf(error); // a full disk or a busy store: "retry later"
    if (refusal instanceof RequestError) {
      if (refusal.retryAfter !== undefined) {
        void reply.header("retry-after", String(refusal.retryAfter));
      }
      const detail =
        refusal.status === 422 ? issuesOf(refusal.details, refusal.message) : refusal.message;
      return reply.status(refusal.status).send({ detail });
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ detail: error.message });
    }
    request.log.error({ err: error }, "legacy request failed");
    return reply.status(500).send({ detail: "Internal Server Error" });
  });
}
