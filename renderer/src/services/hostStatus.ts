import { FromHost, type AvailableModel, type ModelStatus } from '../../../preload/contract/jobs';
import { PROTOCOL_VERSION } from '../../../preload/contract/versions';
import type { InferenceTransport } from './studio';

/** The inference host as the header badge shows it: process state and its model's status. */
export interface HostStatus {
  readonly state: 'starting' | 'ready' | 'restarting' | 'down' | 'disconnected';
  readonly model?: ModelStatus;
  readonly available?: readonly AvailableModel[];
  /** Why the host is down or restarting. */
  readonly message?: string;
}

/**
 * Follows 'ready' and 'host-exited' messages, and the connection itself where it can drop
 * (the harness WebSocket): 'disconnected' until it is back. Returns the unsubscribe function.
 */
export function watchHost(transport: InferenceTransport, onStatus: (status: HostStatus) => void): () => void {
  const offConnection = transport.onConnection?.((connected) =>
    onStatus(connected ? { state: 'starting', message: 'reconnected; waiting for the inference host' } : { state: 'disconnected', message: 'No connection to the inference host; reconnecting…' }),
  );
  const offMessages = transport.subscribe((data) => {
    const type = typeof data === 'object' && data !== null && 'type' in data ? data.type : undefined;
    if (type !== 'ready' && type !== 'host-exited') return; // job traffic is the generation client's
    const parsed = FromHost.safeParse(data);
    if (!parsed.success) {
      onStatus({ state: 'down', message: `The inference host speaks another protocol (expected version ${PROTOCOL_VERSION}): ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') onStatus({ state: 'ready', model: m.model, available: m.available });
    else if (m.type === 'host-exited') onStatus({ state: m.restarting ? 'restarting' : 'down', message: m.reason });
  });
  return () => {
    offMessages();
    offConnection?.();
  };
}

/** Asks the host to switch models; the answer is the next 'ready' status. */
export function requestModel(transport: InferenceTransport, modelId: string): void {
  transport.send({ type: 'open-model', modelId });
}

/** True when jobs can run now: the host is up and its model is open. */
export function hostCanRun(status: HostStatus): boolean {
  return status.state === 'ready' && status.model?.state === 'loaded';
}

/**
 * Why nothing can be generated now, for the prompt bar and the Generate panel: "waiting" only
 * while something is on its way (a model that failed to open will not arrive by waiting).
 */
export function hostWait(status: HostStatus): string {
  const because = (m: string | undefined): string => (m ? `: ${m.replace(/\.$/, '')}` : '');
  if (status.state === 'starting') return 'Waiting for the inference host to start…';
  if (status.state === 'restarting') return `The inference host is restarting${because(status.message)}. Generate comes back when it is ready.`;
  if (status.state === 'disconnected') return status.message ?? 'No connection to the inference host; reconnecting…';
  if (status.state === 'down') return `The inference host stopped${because(status.message)}. Restart the app to generate again.`;
  const model = status.model;
  if (model?.state === 'failed') return `${(model.message || `Could not open ${model.modelId}`).replace(/\.?$/, '.')} Choose a model in Models (Ctrl+Shift+M).`;
  return `Waiting for ${model?.modelId ?? 'the model'} to load…`;
}

export interface Badge {
  readonly text: string;
  /** Hover text: each graph's provider and why faster ones were skipped, or the failure. */
  readonly title: string;
  readonly tone: 'ok' | 'busy' | 'bad';
}

/**
 * What the header badge says about the host. Pure, so every state is unit-tested. The connection
 * (websocket, electron) is for whoever debugs, so it goes to the hover text, which also keeps the
 * badge short enough not to be cut at 1440 px with a long model name.
 */
export function hostBadge(status: HostStatus, transport: string): Badge {
  const via = `connected over ${transport}`;
  const hover = (...lines: (string | undefined)[]): string => [...lines.filter((l): l is string => !!l), via].join('\n');
  if (status.state === 'starting') return { text: 'Inference host: starting', title: hover(), tone: 'busy' };
  if (status.state !== 'ready') {
    return { text: `Inference host: ${status.state}`, title: hover(status.message), tone: status.state === 'down' || status.state === 'disconnected' ? 'bad' : 'busy' };
  }
  const model = status.model;
  if (!model || model.state === 'loading') {
    return { text: `Inference host: loading ${model?.modelId ?? 'the model'}…`, title: hover(), tone: 'busy' };
  }
  if (model.state === 'failed') return { text: 'Inference host: model failed', title: hover(model.message), tone: 'bad' };
  const skipped = model.execution.skipped.map((s) => `${s.provider}: ${s.reason}`);
  const others = model.graphs.filter((g) => g.provider !== model.execution.provider).map((g) => `${g.graph} runs on ${g.provider}`);
  const title = hover(`${model.displayName}: ${model.graphs.length} graphs on ${model.execution.provider}${others.length > 0 ? ` (except ${others.join(', ')})` : ''}`, ...skipped);
  return { text: `Inference host: ready · ${model.displayName} on ${model.execution.provider}`, title, tone: 'ok' };
}
