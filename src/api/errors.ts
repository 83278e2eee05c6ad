// The /api error envelope: {"error": {"code", "message", "details"}}; never a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { REQUEST_ERROR_CODES, type RequestErrorCode } from "../contract/error-codes.js";
import { RequestError, type FieldProblem } from "../contract/errors.js";

function errorBody(code: RequestErrorCode, message: string, details: FieldProblem[] = []) {
  return { error: { code, message, details } };
}

/** Answers with the code's own status (and Retry-After, where the code has one). */
export function sendError(
  reply: FastifyReply,
  code: RequestErrorCode,
  message: string,
  details: FieldProblem[] = [],
): FastifyReply {
  const { status, retryAfterS } = REQUEST_ERROR_CODES[code];
  if (retryAfterS !== undefined) void reply.header("retry-after", String(retryAfterS));
  return reply.status(status).send(errorBody(code, message, details));
}

/** Fastify's own 4xx refusals, by its error code; any other is a bad_request. */
const FASTIFY_REFUSALS: Record<string, RequestErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
};

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
      return sendError(reply, error.code, error.message, error.details);
    }
    if (error.validation) {
      const details = validationProblems(error);
      const named = details.map((detail) => detail.field).join(", ");
      return sendError(reply, "validation_failed", `Invalid request: check ${named}.`, details);
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, "body_too_large", "The request body is too large.");
    if (status >= 400 && status < 500) {
      return sendError(reply, FASTIFY_REFUSALS[error.code] ?? "bad_request", error.message);
    }
    request.log.error({ err: error }, "request failed");
    return sendError(reply, "internal_error", "The server failed; the error is in its log.");
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, "not_found", `No route ${request.method} ${request.url.split("?")[0] ?? ""}.`),
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
  if (request.url.startsWith("/api/")) {
    void sendError(reply, known.code, known.message);
    return;
  }
  // The legacy FramePack-FastAPI routes answer in FastAPI's {"detail": ...}.
  void reply.status(REQUEST_ERROR_CODES[known.code].status).send({ detail: known.message });
}
