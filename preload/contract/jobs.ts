import { z } from 'zod';
import { GenerateJobRequest, GenerationProgressMessage, GenerationResultMessage } from './generation-jobs';
import { PROTOCOL_VERSION } from './versions';

/**
 * Messages between the renderer and the inference host. The same JSON-safe
 * messages travel over an Electron MessagePort and over the harness WebSocket,
 * so pixels are base64 strings rather than transferables: one wire format,
 * one validator. Every receiver parses what it gets with these schemas.
 */

const JobId = z.string().min(1).max(128);

/** The host queues at most this many jobs (running included); more are refused as 'busy'. */
export const MAX_QUEUED_JOBS = 32;
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64 text');

/** An RGBA8 raster: width * height * 4 bytes, base64 encoded. */
export const Raster = z.object({
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  rgba: Base64,
});
export type Raster = z.infer<typeof Raster>;

/**
 * Placeholder job: runs the tiny graph from models/recipe/placeholder until the
 * trained 4M model exists. A real generation job will join this union as
 * `{ kind: 'generate', request: GenerationRequest }` (preload/contract/generation.ts).
 */
export const PlaceholderReliefRequest = z.object({
  kind: z.literal('placeholder.relief'),
  image: Raster,
  steps: z.number().int().min(1).max(512),
  /** Paces steps so progress is visible to people and killable by tests. */
  minStepMs: z.number().int().min(0).max(10_000).default(0),
});

export const JobRequest = z.discriminatedUnion('kind', [PlaceholderReliefRequest, GenerateJobRequest]);
export type JobRequest = z.infer<typeof JobRequest>;
export type JobRequestInput = z.input<typeof JobRequest>;

/** Errors cross processes as plain data; `kind` lets the UI decide what to say. */
export const JobErrorKind = z.enum([
  'invalid-request',
  'model-load',
  'inference',
  'cancelled',
  'host-exited',
  /** Too many jobs are queued already; nothing was started. */
  'busy',
  /** The renderer lost its connection to the host (harness WebSocket) while the job ran. */
  'disconnected',
  'internal',
]);
export const JobError = z.object({
  name: z.string(),
  message: z.string(),
  kind: JobErrorKind,
});
export type JobError = z.infer<typeof JobError>;

/** Which execution provider the host uses, and why the ones before it were skipped. */
export const ExecutionReport = z.object({
  provider: z.string(),
  skipped: z.array(z.object({ provider: z.string(), reason: z.string() })),
});
export type ExecutionReport = z.infer<typeof ExecutionReport>;

export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), id: JobId, request: JobRequest }),
  z.object({ type: z.literal('cancel'), id: JobId }),
]);
export type ToHost = z.infer<typeof ToHost>;
export type ToHostInput = z.input<typeof ToHost>;

export const FromHost = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    protocol: z.literal(PROTOCOL_VERSION),
    execution: ExecutionReport,
  }),
  z.object({
    type: z.literal('progress'),
    id: JobId,
    step: z.number().int().min(0),
    total: z.number().int().min(1),
    preview: Raster.optional(),
  }),
  z.object({
    type: z.literal('result'),
    id: JobId,
    output: Raster,
    elapsedMs: z.number().min(0),
  }),
  z.object({ type: z.literal('error'), id: JobId, error: JobError }),
  /** 'generate' jobs: step previews and per-modality results (generation-jobs.ts). */
  GenerationProgressMessage,
  GenerationResultMessage,
  /** Sent by the supervisor, not the host: the host died and (maybe) restarts. */
  z.object({ type: z.literal('host-exited'), reason: z.string(), restarting: z.boolean() }),
]);
export type FromHost = z.infer<typeof FromHost>;

/** Parses a message or throws an error naming the message and the bad field. */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new Error(`Invalid ${what} message: ${z.prettifyError(parsed.error)}`);
}
