// The /api error envelope: {"error": {"code", "message", "details"}}; never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RequestErrorCode } from "../contract/error-codes.js";
import { RequestError, type FieldProblem } from "../contract/errors.js";

export function errorBody(code: RequestErrorCode, message: string, details: FieldProblem[] = []) {
  return { error: { code, message, details } };
}

/** Ajv's errors -> one problem per field, named like the request ("seeds[2]", "width"). */
function validationProblems(error: FastifyError): FieldProblem[] {
  return (error.validation ?? []).map((issue) => {
    const path = issue.instancePath
      .split("/")
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join("")
      .replace(/^\./, "");
    // A missing or unknown property is named itself, not its parent object.
    const params = issue.params as { additionalProperty?: string; missingProperty?: string };
    const named = params.additionalProperty ?? params.missingProperty;
    const field = named ? (path ? `${path}.${named}` : named) : path || "body";
    const message = params.additionalProperty
      ? "is not a known field"
      : params.missingProperty
        ? "is required"
        : (issue.message ?? "is invalid");
    return { field, message };
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    if (error instanceof RequestError) {
      if (error.retryAfter !== undefined)
        void reply.header("retry-after", String(error.retryAfter));
      return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    }
    if (error.validation) {
      const details = validationProblems(error);
      const named = details.map((detail) => detail.field).join(", ");
      return reply
        .status(422)
        .send(errorBody("validation_failed", `Invalid request: check ${named}.`, details));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send(errorBody("body_too_large", "The request body is too large."));
    }
    if (status >= 400 && status < 500) {
      const code =
        error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "unsupported_media_type" : "bad_request";
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply
      .status(500)
      .send(errorBody("internal_error", "The server failed; the error is in its log."));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody("not_found", `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`),
      ),
  );
}

/** What a router error (raised before any route runs) means for a person. */
const ROUTER_ERRORS: Record<string, { code: RequestErrorCode; message: string }> = {
  FST_ERR_BAD_URL: { code: "bad_url", message: "The URL is malformed." },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: "uri_too_long",
    message: "A path parameter is longer than this server accepts.",
  },
};

/**
 * Fastify's `frameworkErrors`: the router's own refusals (a malformed URL, an over-long
 * path parameter) in the envelope of the surface asked, not Fastify's default shape.
 */
export function answerRouterError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const known = ROUTER_ERRORS[error.code] ?? { code: "bad_request", message: "Bad request." };
  const status = error.statusCode ?? 400;
  // The legacy FramePack-FastAPI routes answer in FastAPI's {"detail": ...}.
  const body = request.url.startsWith("/api/")
    ? errorBody(known.code, known.message)
    : { detail: known.message };
  void reply.status(status).send(body);
}
