import { MAX_QUEUED_JOBS, type FromHost, type JobError, type ToHost } from '../../preload/contract/jobs';

/**
 * Per-connection routing between many sockets and one inference host. Each job a socket starts
 * gets a fresh host-side id, so a socket can neither see nor cancel another socket's jobs, and a
 * host message carrying a job id goes back to the socket that started the job, under the id that
 * socket chose. Only messages without a job id (ready, host-exited) go to every socket.
 * Pure bookkeeping: no sockets, no processes.
 */

/** `droppable`: a progress message the receiver can do without when it cannot keep up. */
export type Deliver = (message: FromHost, droppable: boolean) => void;

export interface RouterLimits {
  /** Jobs one connection may have queued or running at once. */
  perConnection: number;
  /** Jobs all connections together may have at the host (running included). */
  total: number;
}

export const DEFAULT_ROUTER_LIMITS: RouterLimits = { perConnection: 16, total: MAX_QUEUED_JOBS };

interface Route {
  /** Undefined once the connection closed: the host still finishes (cancels) the job. */
  connection: number | undefined;
  clientId: string;
}

interface Connection {
  deliver: Deliver;
  /** client id → host id */
  jobs: Map<string, string>;
}

const SETTLING = new Set(['result', 'error', 'generation-result']);
const DROPPABLE = new Set(['progress', 'generation-progress']);

export class JobRouter {
  readonly #connections = new Map<number, Connection>();
  readonly #routes = new Map<string, Route>();
  #nextConnection = 1;
  #nextJob = 1;

  constructor(private readonly limits: RouterLimits = DEFAULT_ROUTER_LIMITS) {}

  connect(deliver: Deliver): number {
    const id = this.#nextConnection++;
    this.#connections.set(id, { deliver, jobs: new Map() });
    return id;
  }

  /** Forgets the connection; returns the cancels to send so its jobs stop using the host. */
  disconnect(connection: number): ToHost[] {
    const conn = this.#connections.get(connection);
    if (!conn) return [];
    this.#connections.delete(connection);
    const cancels: ToHost[] = [];
    for (const hostId of conn.jobs.values()) {
      const route = this.#routes.get(hostId);
      if (route) route.connection = undefined;
      cancels.push({ type: 'cancel', id: hostId });
    }
    return cancels;
  }

  /**
   * A validated message from a socket. Returns what to send to the host (with the host-side id),
   * or nothing: a refused job has already been answered on the socket.
   */
  fromClient(connection: number, message: ToHost): ToHost | undefined {
    const conn = this.#connections.get(connection);
    if (!conn) return undefined;
    if (message.type === 'cancel') {
      const hostId = conn.jobs.get(message.id);
      return hostId ? { type: 'cancel', id: hostId } : undefined;
    }
    // A model switch names no job; every page hears the host's 'ready' that answers it.
    if (message.type === 'open-model') return message;
    const refuse = (error: JobError): undefined => {
      conn.deliver({ type: 'error', id: message.id, error }, false);
      return undefined;
    };
    if (conn.jobs.has(message.id)) {
      return refuse({ name: 'DuplicateJobError', message: `A job with id "${message.id}" is already running`, kind: 'invalid-request' });
    }
    if (conn.jobs.size >= this.limits.perConnection || this.#routes.size >= this.limits.total) {
      const limit = conn.jobs.size >= this.limits.perConnection ? `${this.limits.perConnection} from this page` : `${this.limits.total} in all`;
      return refuse({ name: 'BusyError', message: `Too many jobs are waiting (${limit}); wait for some to finish, then try again`, kind: 'busy' });
    }
    const hostId = `j${this.#nextJob++}`;
    conn.jobs.set(message.id, hostId);
    this.#routes.set(hostId, { connection, clientId: message.id });
    return { ...message, id: hostId };
  }

  /** A message from the host: to its job's socket, or to every socket if it names no job. */
  fromHost(message: FromHost): void {
    if (!('id' in message)) {
      for (const conn of this.#connections.values()) conn.deliver(message, false);
      return;
    }
    const route = this.#routes.get(message.id);
    if (!route) return; // a job whose socket is gone, or an id the host made up
    if (SETTLING.has(message.type)) {
      this.#routes.delete(message.id);
      if (route.connection !== undefined) this.#connections.get(route.connection)?.jobs.delete(route.clientId);
    }
    if (route.connection === undefined) return;
    this.#connections.get(route.connection)?.deliver({ ...message, id: route.clientId }, DROPPABLE.has(message.type));
  }

  /** The host died: its jobs are gone (every socket hears `host-exited` through fromHost). */
  hostExited(message: Extract<FromHost, { type: 'host-exited' }>): void {
    this.#routes.clear();
    for (const conn of this.#connections.values()) conn.jobs.clear();
    this.fromHost(message);
  }

  /** Jobs at the host (running or queued), including those of closed connections. */
  get inFlight(): number {
    return this.#routes.size;
  }

  get connections(): number {
    return this.#connections.size;
  }
}
