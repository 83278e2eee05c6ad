/* Generated from the service's OpenAPI document by scripts/client-gen.mjs. Do not edit. */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                            /** @description Seconds since the server started. */
                            uptime_s: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The service's version. */
                            version: string;
                            model_set: {
                                root: string;
                                /** @description Some engine serves the random-weight demo set. */
                                tiny: boolean;
                                notice: string | null;
                            };
                            engines: {
                                id: string;
                                /** @description unresponsive: the engine did not answer a status request in time. */
                                state: ("idle" | "busy") | "unresponsive";
                                engine_version: string;
                                /** @enum {unknown} */
                                protocol_version: 1;
                                versions: {
                                    python: string;
                                    torch: string;
                                    diffusers: string;
                                    transformers: string;
                                };
                                device: {
                                    /** @enum {unknown} */
                                    kind: "cpu" | "cuda" | "mps";
                                    name: string;
                                    index: number | null;
                                };
                                capabilities: {
                                    plan_kinds: ("probe" | "image" | "batch" | "transfer" | "video")[];
                                };
                                /** @description Which model set the engine serves. tiny is true for the generated random-weight test set: its outputs are noise. */
                                model_set: {
                                    root: string;
                                    tiny: boolean;
                                    /**
                                     * @description high: every model resident; low: components on the device only for their phase, transformer blocks streamed.
                                     * @enum {unknown}
                                     */
                                    memory_mode: "high" | "low";
                                    /** @description The scaled-dot-product attention backends the transformer asks torch for, in priority order (docs/framepack.md §6.1); the first whose kernel accepts a call runs it. */
                                    attention_backends?: ("cudnn" | "flash" | "efficient" | "math")[];
                                    /** @description The --gpu-memory-gb limit: device memory the engine plans for and may allocate; null for the whole device (docs/framepack.md §13). */
                                    gpu_memory_limit_gb?: number | null;
                                    /**
                                     * @description The --transformer-dtype the transformers are loaded in: bf16 (the model's own dtype) or fp8 block linears (docs/framepack.md §18).
                                     * @enum {unknown}
                                     */
                                    transformer_dtype?: "bf16" | "fp8";
                                };
                                /** @description Memory figures in bytes; device figures are null on a CPU device. */
                                memory: {
                                    device_total_bytes: number | null;
                                    device_free_bytes: number | null;
                                    device_allocated_bytes: number | null;
                                    host_rss_bytes: number;
                                };
                                loaded_models: {
                                    /** @description Role in the model set, e.g. transformer_base, text_encoder, vae. */
                                    name: string;
                                    class_name: string;
                                    dtype: string;
                                    device: string;
                                    bytes: number;
                                }[];
                                uptime_s: number | null;
                                error: string | null;
                            }[];
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        prompt: string;
                        /**
                         * @description -1 draws a random seed; the seed used is reported.
                         * @default -1
                         */
                        seed?: number;
                        /** @default 30 */
                        steps?: number;
                        /**
                         * @description Pixels; snapped to a multiple of 16.
                         * @default 1216
                         */
                        width?: number;
                        /**
                         * @description Pixels; snapped to a multiple of 16.
                         * @default 704
                         */
                        height?: number;
                        /** @default  */
                        negative_prompt?: string;
                        /**
                         * @description Real CFG; 1 skips the negative prompt.
                         * @default 1
                         */
                        cfg?: number;
                        /**
                         * @description Distilled guidance.
                         * @default 10
                         */
                        gs?: number;
                        /**
                         * @description CFG rescale.
                         * @default 0
                         */
                        rs?: number;
                        /**
                         * @description Time shift; null = dynamic.
                         * @default null
                         */
                        shift?: number | null;
                        /** @default base */
                        transformer?: "base" | "f1";
                        /**
                         * @description Higher runs earlier.
                         * @default 0
                         */
                        priority?: number;
                        lora_paths?: string[] | null;
                        /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
                        lora_scales?: number[] | null;
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        input_image?: string;
                        /** @default 9 */
                        latent_window_size?: number;
                        /** @description Default: latent_window_size. */
                        target_index?: number;
                        /** @default false */
                        no_2x?: boolean;
                        /** @default false */
                        no_4x?: boolean;
                        /** @default false */
                        no_post?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            links: {
                                self: string;
                                events: string;
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/batch-images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        prompts: string[];
                        seeds?: number[] | null;
                        /** @description With one prompt: this many images of it, one per seed (seeds, or random). */
                        count?: number;
                        /**
                         * @description Images per forward pass.
                         * @default 4
                         */
                        batch_size?: number;
                        /** @description RoPE sweep: one prompt and seed rendered at each target index. */
                        target_indices?: number[];
                        /** @description RoPE sweep: one prompt and seed rendered at each window size. */
                        latent_window_sizes?: number[];
                        /** @default 30 */
                        steps?: number;
                        /**
                         * @description Pixels; snapped to a multiple of 16.
                         * @default 1216
                         */
                        width?: number;
                        /**
                         * @description Pixels; snapped to a multiple of 16.
                         * @default 704
                         */
                        height?: number;
                        /** @default  */
                        negative_prompt?: string;
                        /**
                         * @description Real CFG; 1 skips the negative prompt.
                         * @default 1
                         */
                        cfg?: number;
                        /**
                         * @description Distilled guidance.
                         * @default 10
                         */
                        gs?: number;
                        /**
                         * @description CFG rescale.
                         * @default 0
                         */
                        rs?: number;
                        /**
                         * @description Time shift; null = dynamic.
                         * @default null
                         */
                        shift?: number | null;
                        /** @default base */
                        transformer?: "base" | "f1";
                        /**
                         * @description Higher runs earlier.
                         * @default 0
                         */
                        priority?: number;
                        lora_paths?: string[] | null;
                        /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
                        lora_scales?: number[] | null;
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        input_image?: string;
                        /** @default 9 */
                        latent_window_size?: number;
                        /** @description Default: latent_window_size. */
                        target_index?: number;
                        /** @default false */
                        no_2x?: boolean;
                        /** @default false */
                        no_4x?: boolean;
                        /** @default false */
                        no_post?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            links: {
                                self: string;
                                events: string;
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/transfer-image": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        source_image: string;
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        target_image: string;
                        prompt: string;
                        /**
                         * @description Scales the source latent.
                         * @default 0.7
                         */
                        transfer_strength?: number;
                        /**
                         * @description -1 draws a random seed; the seed used is reported.
                         * @default -1
                         */
                        seed?: number;
                        /** @default 30 */
                        steps?: number;
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        source_mask?: string;
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        target_mask?: string;
                        /** @default 1 */
                        target_index?: number;
                        /** @default 10 */
                        control_index?: number;
                        /** @description Pixels, snapped to a multiple of 16; default: the target's 640 bucket. Give width and height together. */
                        width?: number;
                        /** @description Pixels, snapped to a multiple of 16; default: the target's 640 bucket. Give width and height together. */
                        height?: number;
                        /** @default  */
                        negative_prompt?: string;
                        /**
                         * @description Real CFG; 1 skips the negative prompt.
                         * @default 1
                         */
                        cfg?: number;
                        /**
                         * @description Distilled guidance.
                         * @default 10
                         */
                        gs?: number;
                        /**
                         * @description CFG rescale.
                         * @default 0
                         */
                        rs?: number;
                        /**
                         * @description Time shift; null = dynamic.
                         * @default null
                         */
                        shift?: number | null;
                        /** @default base */
                        transformer?: "base" | "f1";
                        /**
                         * @description Higher runs earlier.
                         * @default 0
                         */
                        priority?: number;
                        lora_paths?: string[] | null;
                        /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
                        lora_scales?: number[] | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            links: {
                                self: string;
                                events: string;
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate-video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                        image: string;
                        prompt: string;
                        /**
                         * @description Seconds.
                         * @default 5
                         */
                        video_length?: number;
                        /**
                         * @description -1 draws a random seed; the seed used is reported.
                         * @default -1
                         */
                        seed?: number;
                        /** @default 25 */
                        steps?: number;
                        /** @default 9 */
                        latent_window_size?: number;
                        /**
                         * @description reverse = base model (anti-drifting), forward = F1.
                         * @default reverse
                         */
                        sampling_mode?: "reverse" | "forward";
                        /** @default true */
                        use_teacache?: boolean;
                        /** @description Pixels, snapped to a multiple of 16; default: the image's 640 bucket. Give width and height together. */
                        width?: number;
                        /** @description Pixels, snapped to a multiple of 16; default: the image's 640 bucket. Give width and height together. */
                        height?: number;
                        /** @default 16 */
                        mp4_crf?: number;
                        /** @default 6 */
                        gpu_memory_preservation?: number;
                        /** @description Base model only (sampling_mode reverse): the video's last frame. */
                        end_image?: string;
                        /**
                         * @description Scales the end image's latent; lower gives freer motion.
                         * @default 1
                         */
                        end_frame_strength?: number;
                        /**
                         * @description Base model only: the end image is the start image.
                         * @default false
                         */
                        loop?: boolean;
                        /** @description Prompts from a time on, ascending; `prompt` covers what comes before. */
                        section_prompts?: {
                            /** @description Seconds into the video; snapped to the section grid. */
                            start: number;
                            prompt: string;
                        }[];
                        /**
                         * @description Sections before each prompt change that blend into the next prompt.
                         * @default 0
                         */
                        prompt_blend_sections?: number;
                        /** @description Base model only: each section at most once. */
                        keyframes?: {
                            /** @description Time-order section index, 0 = the first seconds. */
                            section: number;
                            /** @description An image as base64 or a data URI (PNG, JPEG, WebP). */
                            image: string;
                        }[];
                        /** @default  */
                        negative_prompt?: string;
                        /**
                         * @description Real CFG; 1 skips the negative prompt.
                         * @default 1
                         */
                        cfg?: number;
                        /**
                         * @description Distilled guidance.
                         * @default 10
                         */
                        gs?: number;
                        /**
                         * @description CFG rescale.
                         * @default 0
                         */
                        rs?: number;
                        /**
                         * @description Higher runs earlier.
                         * @default 0
                         */
                        priority?: number;
                        lora_paths?: string[] | null;
                        /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
                        lora_scales?: number[] | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            links: {
                                self: string;
                                events: string;
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    status?: "pending" | "processing" | "completed" | "failed" | "cancelled";
                    type?: "video" | "image" | "batch_image" | "image_transfer";
                    /** @description Only jobs created at or after this time (a date alone: its start, UTC). */
                    since?: string;
                    /** @description Only jobs created before this time (a date alone: its start, UTC). */
                    until?: string;
                    /** @description Only jobs whose prompt (a batch: any of its prompts) contains this text; ASCII letters match in either case. */
                    q?: string;
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jobs: {
                                id: string;
                                type: "video" | "image" | "batch_image" | "image_transfer";
                                data: {
                                    [key: string]: unknown;
                                };
                                status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                                /** Format: date-time */
                                created_at: string;
                                started_at: string | null;
                                completed_at: string | null;
                                duration_s: number | null;
                                error: {
                                    /**
                                     * @description Why the job (or the attempt a retry follows) failed.
                                     *
                                     *     - `out_of_memory`: The GPU ran out of memory (retried): lower the size, or use the low memory mode.
                                     *     - `model_load_failed`: The engine could not load the weights: `framepack models verify` says why.
                                     *     - `invalid_plan`: The engine refused the job's settings (a LoRA it cannot apply, say).
                                     *     - `disk_full`: No disk space left for the outputs.
                                     *     - `internal_error`: The engine or the service failed; the reason is in its log.
                                     *     - `malformed_message`: The engine could not read the service's message (mismatched versions).
                                     *     - `engine_busy`: The engine was given a job while it ran another (a service bug).
                                     *     - `unknown_job`: The engine was asked about a job it does not run (a service bug).
                                     *     - `engine_crashed`: The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).
                                     *     - `engine_timeout`: The engine took longer than the job may take.
                                     *     - `interrupted`: The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).
                                     * @enum {string}
                                     */
                                    code: "out_of_memory" | "model_load_failed" | "invalid_plan" | "disk_full" | "internal_error" | "malformed_message" | "engine_busy" | "unknown_job" | "engine_crashed" | "engine_timeout" | "interrupted";
                                    message: string;
                                } | null;
                                result: {
                                    images: {
                                        url: string;
                                        seed: number;
                                        width: number;
                                        height: number;
                                        /** @description Item index in a batch. */
                                        index?: number;
                                    }[];
                                    video: {
                                        url: string;
                                        seed: number;
                                        width: number;
                                        height: number;
                                        frames: number | null;
                                        fps: number | null;
                                    } | null;
                                    seeds: number[];
                                    metadata: {
                                        [key: string]: unknown;
                                    };
                                } | null;
                                progress: number;
                                step: number;
                                total: number;
                                /** @description Human text of the phase. */
                                info: string;
                                phase: string | null;
                                preview: string | null;
                                batch_progress: {
                                    total: number;
                                    completed: number;
                                    failed: number;
                                    items: {
                                        index: number;
                                        prompt: string;
                                        seed: number;
                                        status: "pending" | "completed" | "failed";
                                        error: string | null;
                                        url: string | null;
                                    }[];
                                } | null;
                                queue_position: number | null;
                                priority: number;
                                attempts: number;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: "video" | "image" | "batch_image" | "image_transfer";
                            data: {
                                [key: string]: unknown;
                            };
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            created_at: string;
                            started_at: string | null;
                            completed_at: string | null;
                            duration_s: number | null;
                            error: {
                                /**
                                 * @description Why the job (or the attempt a retry follows) failed.
                                 *
                                 *     - `out_of_memory`: The GPU ran out of memory (retried): lower the size, or use the low memory mode.
                                 *     - `model_load_failed`: The engine could not load the weights: `framepack models verify` says why.
                                 *     - `invalid_plan`: The engine refused the job's settings (a LoRA it cannot apply, say).
                                 *     - `disk_full`: No disk space left for the outputs.
                                 *     - `internal_error`: The engine or the service failed; the reason is in its log.
                                 *     - `malformed_message`: The engine could not read the service's message (mismatched versions).
                                 *     - `engine_busy`: The engine was given a job while it ran another (a service bug).
                                 *     - `unknown_job`: The engine was asked about a job it does not run (a service bug).
                                 *     - `engine_crashed`: The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).
                                 *     - `engine_timeout`: The engine took longer than the job may take.
                                 *     - `interrupted`: The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).
                                 * @enum {string}
                                 */
                                code: "out_of_memory" | "model_load_failed" | "invalid_plan" | "disk_full" | "internal_error" | "malformed_message" | "engine_busy" | "unknown_job" | "engine_crashed" | "engine_timeout" | "interrupted";
                                message: string;
                            } | null;
                            result: {
                                images: {
                                    url: string;
                                    seed: number;
                                    width: number;
                                    height: number;
                                    /** @description Item index in a batch. */
                                    index?: number;
                                }[];
                                video: {
                                    url: string;
                                    seed: number;
                                    width: number;
                                    height: number;
                                    frames: number | null;
                                    fps: number | null;
                                } | null;
                                seeds: number[];
                                metadata: {
                                    [key: string]: unknown;
                                };
                            } | null;
                            progress: number;
                            step: number;
                            total: number;
                            /** @description Human text of the phase. */
                            info: string;
                            phase: string | null;
                            preview: string | null;
                            batch_progress: {
                                total: number;
                                completed: number;
                                failed: number;
                                items: {
                                    index: number;
                                    prompt: string;
                                    seed: number;
                                    status: "pending" | "completed" | "failed";
                                    error: string | null;
                                    url: string | null;
                                }[];
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            type: "video" | "image" | "batch_image" | "image_transfer";
                            data: {
                                [key: string]: unknown;
                            };
                            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                            /** Format: date-time */
                            created_at: string;
                            started_at: string | null;
                            completed_at: string | null;
                            duration_s: number | null;
                            error: {
                                /**
                                 * @description Why the job (or the attempt a retry follows) failed.
                                 *
                                 *     - `out_of_memory`: The GPU ran out of memory (retried): lower the size, or use the low memory mode.
                                 *     - `model_load_failed`: The engine could not load the weights: `framepack models verify` says why.
                                 *     - `invalid_plan`: The engine refused the job's settings (a LoRA it cannot apply, say).
                                 *     - `disk_full`: No disk space left for the outputs.
                                 *     - `internal_error`: The engine or the service failed; the reason is in its log.
                                 *     - `malformed_message`: The engine could not read the service's message (mismatched versions).
                                 *     - `engine_busy`: The engine was given a job while it ran another (a service bug).
                                 *     - `unknown_job`: The engine was asked about a job it does not run (a service bug).
                                 *     - `engine_crashed`: The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).
                                 *     - `engine_timeout`: The engine took longer than the job may take.
                                 *     - `interrupted`: The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).
                                 * @enum {string}
                                 */
                                code: "out_of_memory" | "model_load_failed" | "invalid_plan" | "disk_full" | "internal_error" | "malformed_message" | "engine_busy" | "unknown_job" | "engine_crashed" | "engine_timeout" | "interrupted";
                                message: string;
                            } | null;
                            result: {
                                images: {
                                    url: string;
                                    seed: number;
                                    width: number;
                                    height: number;
                                    /** @description Item index in a batch. */
                                    index?: number;
                                }[];
                                video: {
                                    url: string;
                                    seed: number;
                                    width: number;
                                    height: number;
                                    frames: number | null;
                                    fps: number | null;
                                } | null;
                                seeds: number[];
                                metadata: {
                                    [key: string]: unknown;
                                };
                            } | null;
                            progress: number;
                            step: number;
                            total: number;
                            /** @description Human text of the phase. */
                            info: string;
                            phase: string | null;
                            preview: string | null;
                            batch_progress: {
                                total: number;
                                completed: number;
                                failed: number;
                                items: {
                                    index: number;
                                    prompt: string;
                                    seed: number;
                                    status: "pending" | "completed" | "failed";
                                    error: string | null;
                                    url: string | null;
                                }[];
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-sent events: status, progress, preview, item (batches), then done with the job record. `id:` lines; send Last-Event-ID to resume. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": {
                            /** @enum {string} */
                            event: "status";
                            data: {
                                status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                                retry?: {
                                    /**
                                     * @description Why the job (or the attempt a retry follows) failed.
                                     *
                                     *     - `out_of_memory`: The GPU ran out of memory (retried): lower the size, or use the low memory mode.
                                     *     - `model_load_failed`: The engine could not load the weights: `framepack models verify` says why.
                                     *     - `invalid_plan`: The engine refused the job's settings (a LoRA it cannot apply, say).
                                     *     - `disk_full`: No disk space left for the outputs.
                                     *     - `internal_error`: The engine or the service failed; the reason is in its log.
                                     *     - `malformed_message`: The engine could not read the service's message (mismatched versions).
                                     *     - `engine_busy`: The engine was given a job while it ran another (a service bug).
                                     *     - `unknown_job`: The engine was asked about a job it does not run (a service bug).
                                     *     - `engine_crashed`: The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).
                                     *     - `engine_timeout`: The engine took longer than the job may take.
                                     *     - `interrupted`: The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).
                                     * @enum {string}
                                     */
                                    code: "out_of_memory" | "model_load_failed" | "invalid_plan" | "disk_full" | "internal_error" | "malformed_message" | "engine_busy" | "unknown_job" | "engine_crashed" | "engine_timeout" | "interrupted";
                                    message: string;
                                };
                            };
                        } | {
                            /** @enum {string} */
                            event: "progress";
                            data: {
                                progress: number;
                                step: number;
                                total: number;
                                /** @description Human text of the phase. */
                                info: string;
                                phase: string | null;
                            };
                        } | {
                            /** @enum {string} */
                            event: "preview";
                            data: {
                                preview: string;
                            };
                        } | {
                            /** @enum {string} */
                            event: "item";
                            data: {
                                index: number;
                                prompt: string;
                                seed: number;
                                status: "pending" | "completed" | "failed";
                                error: string | null;
                                key: string | null;
                            };
                        } | {
                            /** @enum {string} */
                            event: "done";
                            data: {
                                id: string;
                                type: "video" | "image" | "batch_image" | "image_transfer";
                                data: {
                                    [key: string]: unknown;
                                };
                                status: "pending" | "processing" | "completed" | "failed" | "cancelled";
                                /** Format: date-time */
                                created_at: string;
                                started_at: string | null;
                                completed_at: string | null;
                                duration_s: number | null;
                                error: {
                                    /**
                                     * @description Why the job (or the attempt a retry follows) failed.
                                     *
                                     *     - `out_of_memory`: The GPU ran out of memory (retried): lower the size, or use the low memory mode.
                                     *     - `model_load_failed`: The engine could not load the weights: `framepack models verify` says why.
                                     *     - `invalid_plan`: The engine refused the job's settings (a LoRA it cannot apply, say).
                                     *     - `disk_full`: No disk space left for the outputs.
                                     *     - `internal_error`: The engine or the service failed; the reason is in its log.
                                     *     - `malformed_message`: The engine could not read the service's message (mismatched versions).
                                     *     - `engine_busy`: The engine was given a job while it ran another (a service bug).
                                     *     - `unknown_job`: The engine was asked about a job it does not run (a service bug).
                                     *     - `engine_crashed`: The engine process died under the job (retried up to FRAMEPACK_MAX_ATTEMPTS times).
                                     *     - `engine_timeout`: The engine took longer than the job may take.
                                     *     - `interrupted`: The service stopped while the job ran (crashes count towards FRAMEPACK_MAX_ATTEMPTS).
                                     * @enum {string}
                                     */
                                    code: "out_of_memory" | "model_load_failed" | "invalid_plan" | "disk_full" | "internal_error" | "malformed_message" | "engine_busy" | "unknown_job" | "engine_crashed" | "engine_timeout" | "interrupted";
                                    message: string;
                                } | null;
                                result: {
                                    images: {
                                        url: string;
                                        seed: number;
                                        width: number;
                                        height: number;
                                        /** @description Item index in a batch. */
                                        index?: number;
                                    }[];
                                    video: {
                                        url: string;
                                        seed: number;
                                        width: number;
                                        height: number;
                                        frames: number | null;
                                        fps: number | null;
                                    } | null;
                                    seeds: number[];
                                    metadata: {
                                        [key: string]: unknown;
                                    };
                                } | null;
                                progress: number;
                                step: number;
                                total: number;
                                /** @description Human text of the phase. */
                                info: string;
                                phase: string | null;
                                preview: string | null;
                                batch_progress: {
                                    total: number;
                                    completed: number;
                                    failed: number;
                                    items: {
                                        index: number;
                                        prompt: string;
                                        seed: number;
                                        status: "pending" | "completed" | "failed";
                                        error: string | null;
                                        url: string | null;
                                    }[];
                                } | null;
                                queue_position: number | null;
                                priority: number;
                                attempts: number;
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outputs/{jobId}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    jobId: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file: a PNG image, an MP4 video or a JPEG preview. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "video/mp4": string;
                        "image/jpeg": string;
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/inputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            inputs: {
                                /** @description The request field, e.g. input_image, target_mask. */
                                name: string;
                                /** @description GET it (with the key) for the stored PNG. */
                                url: string;
                            }[];
                        };
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/inputs/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    /** @description A request field that carried a picture. */
                    name: "input_image" | "image" | "source_image" | "target_image" | "source_mask" | "target_mask" | "end_image";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The picture the job was submitted with, as stored: a PNG. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                    };
                };
                /** @description A refused or failed request. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
                /** @description A refused or failed request. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /**
                                 * @description Why the request was refused or failed.
                                 *
                                 *     - `validation_failed`: 422: a field is missing, unknown or out of range; `details` names each one.
                                 *     - `invalid_image`: 400: an image field is not valid base64 or not a readable picture.
                                 *     - `unsupported_image`: 422: a picture in a format other than PNG, JPEG or WebP.
                                 *     - `image_too_large`: 413: a picture over the byte or pixel limit (decompression bombs included).
                                 *     - `body_too_large`: 413: the request body is over MAX_BODY_MB.
                                 *     - `unsupported_media_type`: 415: a body that is not JSON.
                                 *     - `bad_request`: 400: a body that cannot be parsed as JSON, or a malformed request.
                                 *     - `bad_url`: 400: a malformed URL.
                                 *     - `uri_too_long`: 414: a path parameter longer than the service accepts.
                                 *     - `headers_too_large`: 431: the request line and headers are over MAX_HEADER_KB.
                                 *     - `request_timeout`: 408: the request did not arrive within REQUEST_TIMEOUT_S (its headers: HEADERS_TIMEOUT_S).
                                 *     - `not_found`: 404: no such route, job or output (another API key's jobs included).
                                 *     - `forbidden_path`: 403: a path the service never serves (one that climbs out of a folder of static files).
                                 *     - `job_finished`: 409: cancelling a job that has already finished.
                                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                                 *     - `queue_full`: 503: the queue holds MAX_QUEUE_LENGTH jobs; retry after `Retry-After`.
                                 *     - `too_many_jobs`: 429: this API key has MAX_QUEUE_PER_KEY jobs waiting; retry after `Retry-After`.
                                 *     - `storage_full`: 503: no disk space left for the request's pictures; retry after `Retry-After`.
                                 *     - `store_busy`: 503: the job store cannot write for the moment (its lock is held); retry after `Retry-After`.
                                 *     - `server_busy`: 503: too many large requests are being read at once; retry after `Retry-After`.
                                 *     - `unauthorized`: 401: an API key is required.
                                 *     - `forbidden`: 403: the API key is not valid.
                                 *     - `internal_error`: 500: the service failed; the reason is in its log.
                                 * @enum {string}
                                 */
                                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "ambiguous_id" | "invalid_cursor" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                                /** @description One sentence for a person. */
                                message: string;
                                /** @description Every refused field. */
                                details: {
                                    field: string;
                                    message: string;
                                }[];
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/loras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            loras: {
                                name: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Multipart form: image file, prompt, video_length, seed, steps, cfg, gs, rs, … */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description 8 hex digits. */
                            job_id: string;
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/status/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            /** @description pending | processing | completed | cancelled | "failed - <reason>" */
                            status: string;
                            /** @description Percent of the whole run. */
                            progress: number;
                            progress_step: number;
                            progress_total: number;
                            progress_info: string;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/result/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Absolute URL of /download/video/{id}. */
                            video_url: string;
                            thumbnail_base64: string | null;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/download/video/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The video, with byte ranges. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "video/mp4": string;
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/input_image/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The input image as a JPEG. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": string;
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cancel/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queue: {
                                job_id: string;
                                /** @description pending | processing | completed | cancelled | "failed - <reason>" */
                                status: string;
                                /** @description The first 50 characters, then ... */
                                prompt: string;
                                video_length: number;
                                progress: number;
                                progress_info: string;
                                job_type: "video" | "image" | "batch_image" | "image_transfer";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/worker/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            is_running: boolean;
                            processing_job_id: string | null;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cleanup_jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/loras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description As FramePack-FastAPI answers. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Names inside the LoRA folder. */
                            loras: string[];
                        };
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stream/status/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-sent events, as FramePack-FastAPI sends them. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": unknown;
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/video_stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Server-sent events, as FramePack-FastAPI sends them. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": unknown;
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description "<id>.mp4" file names. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string[];
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/videos/{filename}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    filename: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The video, with byte ranges. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "video/mp4": string;
                    };
                };
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string | {
                                type: string;
                                loc: (string | number)[];
                                msg: string;
                                input: unknown;
                                ctx?: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
