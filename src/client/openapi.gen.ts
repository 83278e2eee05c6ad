/* Generated from the service's OpenAPI document by scripts/client-gen.mjs. Do not edit. */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description Answers while the HTTP server runs; never needs an API key.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The server is up. */
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
        /**
         * Service and engines
         * @description The service's version, the model set (and whether it is the tiny random-weight demo set), and each engine's devices, loaded models and memory, asked live.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The service, its model set and each engine, live. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SystemReport"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Generate one image
         * @description One image by one-frame inference: from the prompt alone, or from `input_image` changed by the prompt. Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`. With `Prefer: wait=N` (N <= 60) it answers 200 with the finished record when the job finishes within N seconds.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sent again with the same body within 24 h (by the same API key), the request answers with the job the first one made instead of a new one; with a different body, 422 idempotency_key_reused. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "prompt": "A paper lantern floating over a quiet lake at dusk",
                     *       "seed": 42,
                     *       "steps": 4,
                     *       "width": 128,
                     *       "height": 128
                     *     }
                     */
                    "application/json": components["schemas"]["ImageRequest"];
                };
            };
            responses: {
                /** @description The finished job (Prefer: wait=N, finished within N seconds). */
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
                            sections: {
                                total: number;
                                done: number;
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                            /** @description The new job's id. */
                            job_id: string;
                            /** @description Where to follow or cancel the job. */
                            links: {
                                /** @description The job's record: GET it to follow the job. */
                                self: string;
                                /** @description The job's event stream (server-sent events). */
                                events: string;
                                /** @description POST here to cancel the job. */
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description Job accepted: it waits in the queue. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Generate a batch of images
         * @description Several one-frame images as one job: one per prompt, `count` images of one prompt, or a RoPE sweep over `target_indices` or `latent_window_sizes`. Images are sampled `batch_size` at a time; the record's `batch_progress` follows each. Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`. With `Prefer: wait=N` (N <= 60) it answers 200 with the finished record when the job finishes within N seconds.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sent again with the same body within 24 h (by the same API key), the request answers with the job the first one made instead of a new one; with a different body, 422 idempotency_key_reused. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "prompts": [
                     *         "A red fox in fresh snow",
                     *         "A lighthouse in a storm"
                     *       ],
                     *       "seeds": [
                     *         1,
                     *         2
                     *       ],
                     *       "steps": 4,
                     *       "batch_size": 2,
                     *       "width": 128,
                     *       "height": 128
                     *     }
                     */
                    "application/json": components["schemas"]["BatchRequest"];
                };
            };
            responses: {
                /** @description The finished job (Prefer: wait=N, finished within N seconds). */
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
                            sections: {
                                total: number;
                                done: number;
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                            /** @description The new job's id. */
                            job_id: string;
                            /** @description Where to follow or cancel the job. */
                            links: {
                                /** @description The job's record: GET it to follow the job. */
                                self: string;
                                /** @description The job's event stream (server-sent events). */
                                events: string;
                                /** @description POST here to cancel the job. */
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description Job accepted: it waits in the queue. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Transfer a reference's look onto a picture (kisekaeichi)
         * @description Redraws `target_image` with what `source_image` shows (clothes, colours), guided by the prompt; masks limit where. Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`. With `Prefer: wait=N` (N <= 60) it answers 200 with the finished record when the job finishes within N seconds.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sent again with the same body within 24 h (by the same API key), the request answers with the job the first one made instead of a new one; with a different body, 422 idempotency_key_reused. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "prompt": "The same landscape in the colours of the reference",
                     *       "source_image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
                     *       "target_image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
                     *       "seed": 42,
                     *       "steps": 4,
                     *       "width": 128,
                     *       "height": 128
                     *     }
                     */
                    "application/json": components["schemas"]["TransferRequest"];
                };
            };
            responses: {
                /** @description The finished job (Prefer: wait=N, finished within N seconds). */
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
                            sections: {
                                total: number;
                                done: number;
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                            /** @description The new job's id. */
                            job_id: string;
                            /** @description Where to follow or cancel the job. */
                            links: {
                                /** @description The job's record: GET it to follow the job. */
                                self: string;
                                /** @description The job's event stream (server-sent events). */
                                events: string;
                                /** @description POST here to cancel the job. */
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description Job accepted: it waits in the queue. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Generate a video from a start image, or continue one
         * @description A video of `video_length` seconds from `image`, section by section; optionally to an `end_image`, with prompts changing over time (`section_prompts`) and `keyframes`. With F1, `continue_from` (a completed video job) or `continue_video` (an MP4) adds `video_length` seconds to an earlier video instead. Answers 202 at once with the job's id and links; follow the job at `links.self` or `links.events`. With `Prefer: wait=N` (N <= 60) it answers 200 with the finished record when the job finishes within N seconds.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Sent again with the same body within 24 h (by the same API key), the request answers with the job the first one made instead of a new one; with a different body, 422 idempotency_key_reused. */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "prompt": "The sun slowly sets behind the hills",
                     *       "image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
                     *       "video_length": 1,
                     *       "seed": 42,
                     *       "steps": 3,
                     *       "width": 128,
                     *       "height": 128
                     *     }
                     */
                    "application/json": components["schemas"]["VideoRequest"];
                };
            };
            responses: {
                /** @description The finished job (Prefer: wait=N, finished within N seconds). */
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
                            sections: {
                                total: number;
                                done: number;
                            } | null;
                            queue_position: number | null;
                            priority: number;
                            attempts: number;
                            /** @description The new job's id. */
                            job_id: string;
                            /** @description Where to follow or cancel the job. */
                            links: {
                                /** @description The job's record: GET it to follow the job. */
                                self: string;
                                /** @description The job's event stream (server-sent events). */
                                events: string;
                                /** @description POST here to cancel the job. */
                                cancel: string;
                            };
                        };
                    };
                };
                /** @description Job accepted: it waits in the queue. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * List jobs
         * @description Newest first, a page at a time: pass `next_cursor` as `cursor` for the next page. With API keys, the key's own jobs.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only jobs in this status. */
                    status?: "pending" | "processing" | "completed" | "failed" | "cancelled";
                    /** @description Only jobs of this type. */
                    type?: "video" | "image" | "batch_image" | "image_transfer";
                    /** @description Only jobs created at or after this time (a date alone: its start, UTC). */
                    since?: string;
                    /** @description Only jobs created before this time (a date alone: its start, UTC). */
                    until?: string;
                    /** @description Only jobs whose prompt (a batch: any of its prompts) contains this text; ASCII letters match in either case. */
                    q?: string;
                    /** @description The previous page's next_cursor, for the page after it. */
                    cursor?: string;
                    /** @description Jobs per page. */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of jobs, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobPage"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Read a job
         * @description The job's record: status, progress, the latest preview and, once completed, its result with the output URLs.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job: its request, status, progress and result. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobRecord"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a finished job
         * @description Removes a finished job's files, then its record (204). A pending or running job answers 409 `job_not_finished`: cancel it first.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a pending job's priority
         * @description Moves a pending job in the queue: every queue position follows, and so does the order engines take jobs in. A job that has started or finished answers 409 `job_not_pending`. Answers the record.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "priority": 5
                     *     }
                     */
                    "application/json": components["schemas"]["JobChange"];
                };
            };
            responses: {
                /** @description The job: its request, status, progress and result. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobRecord"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
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
        /**
         * Cancel a job
         * @description A pending job leaves the queue at once; a running one stops at its next sampler step. A finished job answers 409 `job_finished`. Answers the record.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job: its request, status, progress and result. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobRecord"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
    "/api/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a finished job again
         * @description A completed, failed or cancelled job's request as a new job, with the pictures it stored and its seeds (or new ones with `new_seed`). A pending or running job answers 409 `job_not_finished`. Answers 202 with the new job.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "new_seed": true
                     *     }
                     */
                    "application/json": components["schemas"]["RetryRequest"];
                };
            };
            responses: {
                /** @description Job accepted: it waits in the queue. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Follow a job live
         * @description Server-sent events: `status`, `progress`, `preview`, `item` (batches), then `done` with the record. Send `Last-Event-ID` to resume after a dropped connection.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
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
                            data: components["schemas"]["JobRecord"];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
    "/api/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The queue's state
         * @description Paused or not, the number of pending jobs and the ids of running ones.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The queue: paused or not, how many jobs wait, which run. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Nothing new starts; running jobs finish. */
                            paused: boolean;
                            /** @description Jobs waiting to start (yours, with a tenant key). */
                            pending: number;
                            /** @description Ids of the jobs running now (yours, with a tenant key). */
                            running: string[];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
    "/api/queue/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause the queue
         * @description No job starts until resumed; running jobs finish and submissions are still accepted. Kept across restarts. With API keys, admin keys only (403 `admin_only`). Answers the queue.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The queue: paused or not, how many jobs wait, which run. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Nothing new starts; running jobs finish. */
                            paused: boolean;
                            /** @description Jobs waiting to start (yours, with a tenant key). */
                            pending: number;
                            /** @description Ids of the jobs running now (yours, with a tenant key). */
                            running: string[];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
    "/api/queue/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume the queue
         * @description Jobs start again. Answers the queue.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The queue: paused or not, how many jobs wait, which run. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Nothing new starts; running jobs finish. */
                            paused: boolean;
                            /** @description Jobs waiting to start (yours, with a tenant key). */
                            pending: number;
                            /** @description Ids of the jobs running now (yours, with a tenant key). */
                            running: string[];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
    "/api/jobs/{id}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A job's webhook deliveries
         * @description Each webhook message of the job (docs/api.md §11): its event, URL (without query), status and every attempt with its status code and time.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job's webhook messages, oldest first, with every delivery attempt. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job_id: string;
                            deliveries: {
                                /** @description The message's webhook-id, the same on every attempt. */
                                id: string;
                                /** @description job.start, job.progress, job.completed, ... */
                                type: string;
                                /** @description The receiver, without its query string. */
                                url: string;
                                status: "pending" | "delivered" | "failed";
                                /** Format: date-time */
                                created_at: string;
                                next_attempt_at: string | null;
                                attempts: {
                                    attempt: number;
                                    /** Format: date-time */
                                    at: string;
                                    duration_ms: number;
                                    status_code: number | null;
                                    error: string | null;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Download an output file
         * @description An image (PNG), video (MP4) or preview (JPEG) of a job; the job's record lists its URLs.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's whole id. */
                    jobId: string;
                    /** @description The file name, as the job's result URLs give it. */
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
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * List a job's stored input pictures
         * @description The pictures the job was submitted with, by request field, each with the URL that serves it as PNG.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job's stored input pictures, by request field. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            inputs: {
                                /** @description The request field, e.g. input_image, target_mask; a list's picture as keyframes.0.image, control_images.1.mask. */
                                name: string;
                                /** @description GET it (with the key) for the stored PNG. */
                                url: string;
                            }[];
                        };
                    };
                };
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * Read one of a job's stored input pictures
         * @description The PNG the job stored for one request field; 404 when the job has none for it.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's id, or its first 8 or more characters (a short id). */
                    id: string;
                    /** @description A request field that carried a picture (`input_image`, `target_mask`...), or a picture of a list: `keyframes.<i>.image`, `control_images.<i>.image`, `control_images.<i>.mask`. */
                    name: string;
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
                /** @description Refused: `error.code` says why (see its list), `error.details` names each refused field. */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The server could not do it now (a full queue, a busy server) or failed. */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
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
        /**
         * List LoRAs
         * @description The `.safetensors` files under LORA_DIR, by the name `lora_paths` takes.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The LoRA files under LORA_DIR, by the name a request uses. */
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
        /**
         * Generate a video (multipart form)
         * @description FramePack-FastAPI's form: the `image` file and `prompt`, `video_length`, `seed`, `use_teacache`, `gpu_memory_preservation`, `steps`, `cfg`, `gs`, `rs`, `mp4_crf`, `lora_scale`, `lora_path`, `sampling_mode` (plus optional `width`, `height`), with its defaults; the fields mean what they mean in POST /api/generate-video. Answers the 8-hex job id.
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Job status
         * @description Status, progress in percent of the whole run, step and phase text.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Job result
         * @description A completed job's video URL and the input image's thumbnail; 404 before.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Download a job's video
         * @description The MP4 of a completed video job; byte ranges are served.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Download a job's input image
         * @description The start image the job was given, as a JPEG.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Cancel a job
         * @description Cancels a pending or running job; a finished job is no error.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * The queue
         * @description Every pending and running job and the 100 most recent finished ones, oldest first.
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Worker status
         * @description Whether an engine runs, and the caller's running job.
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Clean up old jobs
         * @description Runs the configured retention now (MAX_COMPLETED_JOBS, OUTPUT_MAX_AGE_HOURS).
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * List LoRAs
         * @description The LoRA file names under LORA_DIR.
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Follow a job's status
         * @description Server-sent events: `progress` with the status body on each change, then `status` when the job ends.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The job's 8-hex legacy id, or the id of a job made through /api. */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Follow finished videos
         * @description Server-sent events: a `data: <id>.mp4` line for each video once its file is complete.
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * List videos
         * @description Every finished video the caller may see, as "<id>.mp4".
         */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
        /**
         * Download a video
         * @description One video of GET /videos by its file name; byte ranges are served.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A name GET /videos lists, "<id>.mp4". */
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
                /** @description Refused, as FastAPI refuses: `{"detail": "<text>"}`, or a 422 list of bad fields. */
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
                /** @description Failed: `{"detail": "<text>"}`. */
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
    schemas: {
        /**
         * @description One image by one-frame inference, from a prompt and optionally a picture.
         * @example {
         *       "prompt": "A paper lantern floating over a quiet lake at dusk",
         *       "seed": 42,
         *       "steps": 4,
         *       "width": 128,
         *       "height": 128
         *     }
         */
        ImageRequest: {
            /** @description What to generate: the picture, or for a video the motion. */
            prompt: string;
            /**
             * @description -1 draws a random seed; the seed used is reported.
             * @default -1
             */
            seed?: number;
            /**
             * @description Sampling steps: more is slower and usually cleaner.
             * @default 30
             */
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
            /**
             * @description What to avoid; used only when cfg > 1.
             * @default
             */
            negative_prompt?: string;
            /**
             * @description Real CFG; 1 skips the negative prompt.
             * @default 1
             */
            cfg?: number;
            /**
             * @description Distilled guidance scale (FramePack's usual 10).
             * @default 10
             */
            gs?: number;
            /**
             * @description CFG rescale; used only when cfg > 1.
             * @default 0
             */
            rs?: number;
            /**
             * @description Time shift; null = dynamic.
             * @default null
             */
            shift?: number | null;
            /**
             * @description The transformer that samples: base (FramePack) or f1 (FramePack-F1).
             * @default base
             */
            transformer?: "base" | "f1";
            /**
             * @description Higher runs earlier.
             * @default 0
             */
            priority?: number;
            /** @description LoRA files to apply, by name inside the server's LoRA folder (GET /api/loras lists them); absent or null: none. */
            lora_paths?: string[] | null;
            /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
            lora_scales?: number[] | null;
            /** @description An http(s) URL the job's events are POSTed to, signed (Standard Webhooks, WEBHOOK_SECRET) and retried for 24 h. */
            webhook?: string;
            /** @description Which events the webhook gets; default: completed, failed, cancelled. */
            webhook_events?: ("start" | "progress" | "completed" | "failed" | "cancelled")[];
            /** @description The picture the frame starts from (one-frame inference); absent: from text alone, as base64 or a data URI (PNG, JPEG, WebP). */
            input_image?: string;
            /** @description 1f-mc: the clean frames instead of the input image; input_image still gives SigLIP. */
            control_images?: {
                /** @description The control picture, as base64 or a data URI (PNG, JPEG, WebP). */
                image: string;
                /** @description Grayscale, the image's size: white keeps, black removes; absent: the image's alpha channel. */
                mask?: string | null;
                /** @description The control's clean frame index; absent or null: 0. */
                index?: number | null;
            }[];
            /**
             * @description Latent frames per section (FramePack's window); for one frame also its RoPE layout.
             * @default 9
             */
            latent_window_size?: number;
            /** @description Time index the frame is sampled at: larger gives more change from input_image. Default: latent_window_size. */
            target_index?: number;
            /**
             * @description Leave out the 2x clean-latent frames.
             * @default false
             */
            no_2x?: boolean;
            /**
             * @description Leave out the 4x clean-latent frames.
             * @default false
             */
            no_4x?: boolean;
            /**
             * @description Leave out the clean post frame.
             * @default false
             */
            no_post?: boolean;
        };
        /**
         * @description Several one-frame images in one job: one per prompt, `count` of one prompt, or a RoPE sweep.
         * @example {
         *       "prompts": [
         *         "A red fox in fresh snow",
         *         "A lighthouse in a storm"
         *       ],
         *       "seeds": [
         *         1,
         *         2
         *       ],
         *       "steps": 4,
         *       "batch_size": 2,
         *       "width": 128,
         *       "height": 128
         *     }
         */
        BatchRequest: {
            /** @description One image per prompt (a sweep or `count`: exactly one prompt). */
            prompts: string[];
            /** @description One per prompt (or per `count`); absent or null: each drawn at random. */
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
            /**
             * @description Sampling steps: more is slower and usually cleaner.
             * @default 30
             */
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
            /**
             * @description What to avoid; used only when cfg > 1.
             * @default
             */
            negative_prompt?: string;
            /**
             * @description Real CFG; 1 skips the negative prompt.
             * @default 1
             */
            cfg?: number;
            /**
             * @description Distilled guidance scale (FramePack's usual 10).
             * @default 10
             */
            gs?: number;
            /**
             * @description CFG rescale; used only when cfg > 1.
             * @default 0
             */
            rs?: number;
            /**
             * @description Time shift; null = dynamic.
             * @default null
             */
            shift?: number | null;
            /**
             * @description The transformer that samples: base (FramePack) or f1 (FramePack-F1).
             * @default base
             */
            transformer?: "base" | "f1";
            /**
             * @description Higher runs earlier.
             * @default 0
             */
            priority?: number;
            /** @description LoRA files to apply, by name inside the server's LoRA folder (GET /api/loras lists them); absent or null: none. */
            lora_paths?: string[] | null;
            /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
            lora_scales?: number[] | null;
            /** @description An http(s) URL the job's events are POSTed to, signed (Standard Webhooks, WEBHOOK_SECRET) and retried for 24 h. */
            webhook?: string;
            /** @description Which events the webhook gets; default: completed, failed, cancelled. */
            webhook_events?: ("start" | "progress" | "completed" | "failed" | "cancelled")[];
            /** @description The picture the frame starts from (one-frame inference); absent: from text alone, as base64 or a data URI (PNG, JPEG, WebP). */
            input_image?: string;
            /** @description 1f-mc: the clean frames instead of the input image; input_image still gives SigLIP. */
            control_images?: {
                /** @description The control picture, as base64 or a data URI (PNG, JPEG, WebP). */
                image: string;
                /** @description Grayscale, the image's size: white keeps, black removes; absent: the image's alpha channel. */
                mask?: string | null;
                /** @description The control's clean frame index; absent or null: 0. */
                index?: number | null;
            }[];
            /**
             * @description Latent frames per section (FramePack's window); for one frame also its RoPE layout.
             * @default 9
             */
            latent_window_size?: number;
            /** @description Time index the frame is sampled at: larger gives more change from input_image. Default: latent_window_size. */
            target_index?: number;
            /**
             * @description Leave out the 2x clean-latent frames.
             * @default false
             */
            no_2x?: boolean;
            /**
             * @description Leave out the 4x clean-latent frames.
             * @default false
             */
            no_4x?: boolean;
            /**
             * @description Leave out the clean post frame.
             * @default false
             */
            no_post?: boolean;
        };
        /**
         * @description Kisekaeichi reference transfer (着せ替え): the target picture redrawn with the source's look.
         * @example {
         *       "prompt": "The same landscape in the colours of the reference",
         *       "source_image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
         *       "target_image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
         *       "seed": 42,
         *       "steps": 4,
         *       "width": 128,
         *       "height": 128
         *     }
         */
        TransferRequest: {
            /** @description The reference whose look (clothes, colours) is taken, as base64 or a data URI (PNG, JPEG, WebP). */
            source_image: string;
            /** @description The picture that is changed, as base64 or a data URI (PNG, JPEG, WebP). */
            target_image: string;
            /** @description What to generate: the picture, or for a video the motion. */
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
            /**
             * @description Sampling steps: more is slower and usually cleaner.
             * @default 30
             */
            steps?: number;
            /** @description Grayscale mask of the source (white: take, black: ignore); absent: its alpha, as base64 or a data URI (PNG, JPEG, WebP). */
            source_mask?: string;
            /** @description Grayscale mask of the target (white: keep, black: repaint); absent: its alpha, as base64 or a data URI (PNG, JPEG, WebP). */
            target_mask?: string;
            /**
             * @description Time index of the sampled frame; must be below control_index.
             * @default 1
             */
            target_index?: number;
            /**
             * @description Time index of the source (the target sits at 0).
             * @default 10
             */
            control_index?: number;
            /** @description Pixels, snapped to a multiple of 16; default: the target's 640 bucket. Give width and height together. */
            width?: number;
            /** @description Pixels, snapped to a multiple of 16; default: the target's 640 bucket. Give width and height together. */
            height?: number;
            /**
             * @description What to avoid; used only when cfg > 1.
             * @default
             */
            negative_prompt?: string;
            /**
             * @description Real CFG; 1 skips the negative prompt.
             * @default 1
             */
            cfg?: number;
            /**
             * @description Distilled guidance scale (FramePack's usual 10).
             * @default 10
             */
            gs?: number;
            /**
             * @description CFG rescale; used only when cfg > 1.
             * @default 0
             */
            rs?: number;
            /**
             * @description Time shift; null = dynamic.
             * @default null
             */
            shift?: number | null;
            /**
             * @description The transformer that samples: base (FramePack) or f1 (FramePack-F1).
             * @default base
             */
            transformer?: "base" | "f1";
            /**
             * @description Higher runs earlier.
             * @default 0
             */
            priority?: number;
            /** @description LoRA files to apply, by name inside the server's LoRA folder (GET /api/loras lists them); absent or null: none. */
            lora_paths?: string[] | null;
            /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
            lora_scales?: number[] | null;
            /** @description An http(s) URL the job's events are POSTed to, signed (Standard Webhooks, WEBHOOK_SECRET) and retried for 24 h. */
            webhook?: string;
            /** @description Which events the webhook gets; default: completed, failed, cancelled. */
            webhook_events?: ("start" | "progress" | "completed" | "failed" | "cancelled")[];
        };
        /**
         * @description A video from a start image, or continuing an earlier video: optionally an end image, timed prompts and keyframes.
         * @example {
         *       "prompt": "The sun slowly sets behind the hills",
         *       "image": "iVBORw0KGgoAAAANSUhEUgAAAEAAAABAAgMAAADXB5lNAAAACVBMVEV4tOtGjDz60kYYC+R4AAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAPElEQVQ4y2NgGAZg1aoGFD7TqlULUAS0Vq1ahV8AyEcxhAkksGAQCmC4lAjPYYQHRoiNUBCKBkYFSBUAAMvTmQ9eeD1TAAAAAElFTkSuQmCC",
         *       "video_length": 1,
         *       "seed": 42,
         *       "steps": 3,
         *       "width": 128,
         *       "height": 128
         *     }
         */
        VideoRequest: {
            /** @description The start image, the video's first frame; optional when continuing (then it replaces the earlier video's anchor), as base64 or a data URI (PNG, JPEG, WebP). */
            image?: string;
            /** @description What to generate: the picture, or for a video the motion. */
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
            /**
             * @description Sampling steps: more is slower and usually cleaner.
             * @default 25
             */
            steps?: number;
            /**
             * @description Latent frames per section (FramePack's window); for one frame also its RoPE layout.
             * @default 9
             */
            latent_window_size?: number;
            /**
             * @description reverse = base model (anti-drifting), forward = F1.
             * @default reverse
             */
            sampling_mode?: "reverse" | "forward";
            /**
             * @description FramePack-FastAPI's switch: false turns the block cache off (cache none).
             * @default true
             */
            use_teacache?: boolean;
            /**
             * @description Skips transformer steps whose effect is predictable: TeaCache, MagCache or none. Faster, slightly different results.
             * @default teacache
             */
            cache?: "teacache" | "magcache" | "none";
            /** @description Pixels, snapped to a multiple of 16; default: the image's 640 bucket. Give width and height together. */
            width?: number;
            /** @description Pixels, snapped to a multiple of 16; default: the image's 640 bucket. Give width and height together. */
            height?: number;
            /**
             * @description MP4 quality (H.264 CRF): lower is better and larger; 0 is lossless.
             * @default 16
             */
            mp4_crf?: number;
            /**
             * @description GB of GPU memory kept free in the low-memory mode (more: slower, safer); no effect in high mode.
             * @default 6
             */
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
                /** @description What to generate: the picture, or for a video the motion. */
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
                /** @description The picture the section should show, as base64 or a data URI (PNG, JPEG, WebP). */
                image: string;
            }[];
            /** @description F1 only (sampling_mode forward): the id (or short id) of a completed video job to continue; video_length seconds are added and the result is the joined video. */
            continue_from?: string;
            /** @description F1 only: an MP4 to continue (base64 or a data URI); its last up to 108 frames are the context, the result is the joined video. Not with continue_from. */
            continue_video?: string;
            /**
             * @description What to avoid; used only when cfg > 1.
             * @default
             */
            negative_prompt?: string;
            /**
             * @description Real CFG; 1 skips the negative prompt.
             * @default 1
             */
            cfg?: number;
            /**
             * @description Distilled guidance scale (FramePack's usual 10).
             * @default 10
             */
            gs?: number;
            /**
             * @description CFG rescale; used only when cfg > 1.
             * @default 0
             */
            rs?: number;
            /**
             * @description Higher runs earlier.
             * @default 0
             */
            priority?: number;
            /** @description LoRA files to apply, by name inside the server's LoRA folder (GET /api/loras lists them); absent or null: none. */
            lora_paths?: string[] | null;
            /** @description One per LoRA in lora_paths; absent: each LoRA at 1. */
            lora_scales?: number[] | null;
            /** @description An http(s) URL the job's events are POSTed to, signed (Standard Webhooks, WEBHOOK_SECRET) and retried for 24 h. */
            webhook?: string;
            /** @description Which events the webhook gets; default: completed, failed, cancelled. */
            webhook_events?: ("start" | "progress" | "completed" | "failed" | "cancelled")[];
        };
        /** @description Job accepted: it waits in the queue. */
        JobAccepted: {
            /** @description The new job's id. */
            job_id: string;
            status: "pending" | "processing" | "completed" | "failed" | "cancelled";
            /** @description Where to follow or cancel the job. */
            links: {
                /** @description The job's record: GET it to follow the job. */
                self: string;
                /** @description The job's event stream (server-sent events). */
                events: string;
                /** @description POST here to cancel the job. */
                cancel: string;
            };
        };
        /** @description The job: its request, status, progress and result. */
        JobRecord: {
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
            sections: {
                total: number;
                done: number;
            } | null;
            queue_position: number | null;
            priority: number;
            attempts: number;
        };
        /** @description A page of jobs, newest first. */
        JobPage: {
            jobs: components["schemas"]["JobRecord"][];
            next_cursor: string | null;
        };
        /**
         * @description A pending job's new priority.
         * @example {
         *       "priority": 5
         *     }
         */
        JobChange: {
            /** @description Higher runs earlier. */
            priority: number;
        };
        /**
         * @description How to submit a finished job again (the body is optional).
         * @example {
         *       "new_seed": true
         *     }
         */
        RetryRequest: {
            /**
             * @description Draw new seeds instead of the ones the job used.
             * @default false
             */
            new_seed?: boolean;
        };
        /** @description A refused or failed request. */
        Error: {
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
                 *     - `job_not_pending`: 409: changing the priority of a job that has already started or finished.
                 *     - `job_not_finished`: 409: retrying or deleting a job that is pending or running; cancel it first.
                 *     - `admin_only`: 403: pausing or resuming the queue with a key that is not an admin key.
                 *     - `ambiguous_id`: 409: a short job id (the start of an id) that names more than one job; give more of it.
                 *     - `invalid_cursor`: 400: a `cursor` that no list page gave.
                 *     - `idempotency_key_reused`: 422: an `Idempotency-Key` this API key used within 24 h for a different request (route or body).
                 *     - `webhook_not_allowed`: 422: a `webhook` to a host WEBHOOK_ALLOWED_HOSTS does not list, or any webhook while WEBHOOK_SECRET is unset.
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
                code: "validation_failed" | "invalid_image" | "unsupported_image" | "image_too_large" | "body_too_large" | "unsupported_media_type" | "bad_request" | "bad_url" | "uri_too_long" | "headers_too_large" | "request_timeout" | "not_found" | "forbidden_path" | "job_finished" | "job_not_pending" | "job_not_finished" | "admin_only" | "ambiguous_id" | "invalid_cursor" | "idempotency_key_reused" | "webhook_not_allowed" | "queue_full" | "too_many_jobs" | "storage_full" | "store_busy" | "server_busy" | "unauthorized" | "forbidden" | "internal_error";
                /** @description One sentence for a person. */
                message: string;
                /** @description Every refused field. */
                details: {
                    field: string;
                    message: string;
                }[];
            };
        };
        /** @description The service, its model set and each engine, live. */
        SystemReport: {
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
            /** @description The queue is paused: nothing new starts. */
            queue_paused: boolean;
            /** @description Cluster mode only: every GPU host (agent) heard from lately, newest heartbeat first. */
            agents?: {
                /** @description The agent process's id: the owner of its leases. */
                id: string;
                host: string;
                engines: {
                    id: string;
                    /** @description starting, idle, busy or down. */
                    state: string;
                    job: string | null;
                    loadout: {
                        transformer: string;
                        /** @description The LoRA stack it last ran, empty for none. */
                        loras: string;
                    } | null;
                }[];
                /** Format: date-time */
                started_at: string;
                /**
                 * Format: date-time
                 * @description The database's time.
                 */
                heartbeat_at: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
