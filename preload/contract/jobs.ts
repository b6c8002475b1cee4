import { z } from 'zod';
import { GenerateJobRequest, GenerationProgressMessage, GenerationResultMessage, UpscaleJobRequest } from './generation-jobs';
import { ModelLayout } from './model-layout';
import { PROTOCOL_VERSION } from './versions';

/**
 * Messages between the renderer and the inference host. The same JSON-safe
 * messages travel over an Electron MessagePort and over the harness WebSocket,
 * so pixels are base64 strings rather than transferables: one wire format,
 * one validator. Every receiver parses what it gets with these schemas.
 */

export const JobId = z.string().min(1).max(128);
const ModelId = z.string().min(1).max(256);

/** The host queues at most this many jobs (running included); more are refused as 'busy'. */
export const MAX_QUEUED_JOBS = 32;

/**
 * Job kinds (generation-jobs.ts): a 4M generation, and the ×2 upscale of a 224 px result with 4M's
 * super-resolution model (official models). Both answer with generation progress and results.
 */
export const JobRequest = z.discriminatedUnion('kind', [GenerateJobRequest, UpscaleJobRequest]);
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

const Skipped = z.object({ provider: z.string(), reason: z.string() });

/** Which execution provider a graph got, and why the ones before it were skipped. */
export const ExecutionReport = z.object({
  provider: z.string(),
  skipped: z.array(Skipped),
});
export type ExecutionReport = z.infer<typeof ExecutionReport>;

/** One graph of the open model and the provider it actually runs on. */
export const GraphExecution = ExecutionReport.extend({ graph: z.string() });
export type GraphExecution = z.infer<typeof GraphExecution>;

/** A model package the host can open (found by the registry in the user's or the bundled folder). */
export const AvailableModel = z.object({
  id: ModelId,
  displayName: z.string(),
  origin: z.enum(['extra', 'user', 'bundled', 'fixture']),
});
export type AvailableModel = z.infer<typeof AvailableModel>;

/**
 * The host's model: loading (jobs wait for it), loaded (with the provider of every graph; the
 * summary `execution` is the FM encoder's, the one that decides speed), or failed with the reason.
 */
export const ModelStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('loading'), modelId: ModelId }),
  z.object({
    state: z.literal('loaded'),
    modelId: ModelId,
    displayName: z.string(),
    execution: ExecutionReport,
    graphs: z.array(GraphExecution),
    loadMs: z.number().min(0),
    /** The model's canvas, grid and layers, when the editor cannot know them itself (official 4M folders). */
    layout: ModelLayout.optional(),
    /** Something the artist should know about how this model came to be open (the remembered one could not be). */
    notice: z.string().max(4000).optional(),
  }),
  z.object({ state: z.literal('failed'), modelId: ModelId.nullable(), message: z.string() }),
]);
export type ModelStatus = z.infer<typeof ModelStatus>;

export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job'), id: JobId, request: JobRequest }),
  z.object({ type: z.literal('cancel'), id: JobId }),
  /** Switch to another installed model; queued behind the jobs already sent, answered by 'ready'. */
  z.object({ type: z.literal('open-model'), modelId: ModelId }),
]);
export type ToHost = z.infer<typeof ToHost>;
export type ToHostInput = z.input<typeof ToHost>;

export const FromHost = z.discriminatedUnion('type', [
  /** Sent when the host starts and again whenever its model's status changes. */
  z.object({
    type: z.literal('ready'),
    protocol: z.literal(PROTOCOL_VERSION),
    model: ModelStatus,
    available: z.array(AvailableModel),
  }),
  z.object({ type: z.literal('error'), id: JobId, error: JobError }),
  /** 'generate' and 'upscale' jobs: step previews and per-modality results (generation-jobs.ts). */
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
