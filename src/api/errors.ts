// The /api error envelope, {"error": {"code", "message", "details"}}, for every answer
// the service refuses, whoever refuses it: routes, Fastify and its plugins, the router,
// and Node's HTTP parser. Never a stack trace; the status is always the code's own.
// The legacy FramePack-FastAPI routes answer in FastAPI's {"detail": ...} instead.
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import { REQUEST_ERROR_CODES, type RequestErrorCode } from "../contract/error-codes.js";
import { RequestError, type FieldProblem } from "../contract/errors.js";
import { refusalOf } from "../jobs/refusals.js";

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

/**
 * A refusal made before any route runs, in the shape of the surface asked: FastAPI's
 * {"detail": <text>} on a legacy route's path (`legacyText` when the original had its
 * own words), else the envelope.
 */
export function sendRefusal(
  reply: FastifyReply,
  code: RequestErrorCode,
  message: string,
  legacy: { path: boolean; text?: string },
): FastifyReply {
  if (!legacy.path) return sendError(reply, code, message);
  const { status, retryAfterS } = REQUEST_ERROR_CODES[code];
  if (retryAfterS !== undefined) void reply.header("retry-after", String(retryAfterS));
  return reply.status(status).send({ detail: legacy.text ?? message });
}

/** Fastify's own refusals by its error code, before their status is looked at. */
const FASTIFY_REFUSALS: Record<string, RequestErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_BODY_TOO_LARGE: "body_too_large",
};

/**
 * Client errors raised with a bare status (by Fastify, the static-file plugins, Node),
 * by status; any other 4xx is a bad_request.
 */
const REFUSALS_BY_STATUS: Partial<Record<number, RequestErrorCode>> = {
  400: "bad_request",
  // @fastify/static's answer to a path that climbs out of its folder (/ui/%2e%2e/...).
  403: "forbidden_path",
  404: "not_found",
  408: "request_timeout",
  413: "body_too_large",
  414: "uri_too_long",
  415: "unsupported_media_type",
  431: "headers_too_large",
};

/** The registry code of a client error whose cause is known only by code or status. */
function refusalCode(error: { code?: string; statusCode?: number }): RequestErrorCode {
  return (
    FASTIFY_REFUSALS[error.code ?? ""] ??
    REFUSALS_BY_STATUS[error.statusCode ?? 400] ??
    "bad_request"
  );
}

/** What a person reads for a refusal whose own message is Fastify's or a plugin's. */
const REFUSAL_MESSAGES: Partial<Record<RequestErrorCode, string>> = {
  body_too_large: "The request body is too large.",
  unsupported_media_type: "The body must be JSON, sent as Content-Type: application/json.",
  forbidden_path: "This path is not served.",
  not_found: "No such file.",
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
    // A full disk or a store that cannot write for now: "retry later", on any route.
    const later = refusalOf(error);
    if (later instanceof RequestError) return sendError(reply, later.code, later.message);
    if (error.validation) {
      const details = validationProblems(error);
      const named = details.map((detail) => detail.field).join(", ");
      return sendError(reply, "validation_failed", `Invalid request: check ${named}.`, details);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = refusalCode(error);
      return sendError(reply, code, REFUSAL_MESSAGES[code] ?? error.message);
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
 * path parameter) in the shape of the surface asked, not Fastify's default shape.
 */
export function routerErrorHandler(isLegacyPath: (url: string) => boolean) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const known = ROUTER_ERRORS[error.code] ?? { code: "bad_request", message: "Bad request." };
    void sendRefusal(reply, known.code, known.message, { path: isLegacyPath(request.url) });
  };
}

/** Node's HTTP parser errors, by code; any other is a bad_request. */
const CLIENT_ERRORS: Record<string, { code: RequestErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: "headers_too_large",
    message: "The request line and headers are larger than this server accepts.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: "request_timeout",
    message: "The request did not arrive in time.",
  },
};

/** The socket's response in flight, which Node keeps there (what its own fallback checks). */
type ServedSocket = Socket & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * Fastify's `clientErrorHandler`: Node's HTTP server refuses a malformed request, an
 * oversized head (431) or a late one (408) before Fastify sees a request, so the answer
 * is written to the socket here, in the envelope (the request line may not even be
 * readable, so the surface asked is unknown). As Node does, nothing is written once a
 * response has begun, and the connection is closed.
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const known = CLIENT_ERRORS[error.code ?? ""] ?? {
      code: "bad_request",
      message: "The request is not valid HTTP.",
    };
    // The code only: the error also carries the raw bytes received, keys included.
    log.debug({ code: error.code }, "client error");
    const inFlight = (socket as ServedSocket)._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const status = REQUEST_ERROR_CODES[known.code].status;
      const body = JSON.stringify(errorBody(known.code, known.message));
      socket.write(
        `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ""}\r\n` +
          "Content-Type: application/json; charset=utf-8\r\n" +
          `Content-Length: ${String(Buffer.byteLength(body))}\r\n` +
          "Connection: close\r\n\r\n" +
          body,
      );
    }
    socket.destroy(error);
  };
}
