// What the Models panel shows for each model. Pure, so every phrase is unit-tested.
import { BUNDLED_LICENSE_TEXT, formatBytes, type CatalogModel, type InstalledModel, type License, type ModelError, type ModelTask } from '../../../preload/contract/models';
import type { ModelStatus } from '../../../preload/contract/jobs';

/**
 * `where`: an installed model's place. The bundled model states no licence of its own: it is the
 * project's (trained by the recipe on the project's synthetic world, no third-party weights or
 * data) and ships as part of the app, so the app's terms are its terms. "Licence not stated" read
 * as if its origin were unknown.
 */
export function licenseText(license: License | null, where?: InstalledModel['where']): string {
  if (!license) return where === 'bundled' ? BUNDLED_LICENSE_TEXT : 'Licence not stated';
  return license.nonCommercial ? `${license.name} — non-commercial` : license.name;
}

/** Where an installed model comes from, in words. */
export function whereText(where: InstalledModel['where']): string {
  return where === 'user' ? 'Installed' : where === 'bundled' ? 'Bundled with the app' : 'From STUDIO_MODELS_PATH';
}

/**
 * The execution providers a model can run on here. Packages run on what the inference host
 * got for the open model (the same ONNX Runtime build and plan), and so do official model folders
 * (fm/ + tokenizers/). A catalogue download or a lone official checkpoint is the FM alone: it runs
 * on those providers once its tokenizers sit beside it, which is what the row says ("none yet"
 * told a person neither what it would run on nor what it needed).
 */
export function backendsText(kind: InstalledModel['kind'] | 'catalog', host: ModelStatus | undefined): { text: string; title: string } {
  const loaded = host?.state === 'loaded' ? host : null;
  const used = loaded ? [...new Set([loaded.execution.provider, ...loaded.graphs.map((g) => g.provider)])].join(', ') : 'ONNX Runtime';
  if (kind !== 'package' && kind !== 'official') {
    const what = kind === 'catalog' ? 'A download is the FM checkpoint alone, which cannot generate' : 'A lone official checkpoint cannot generate in the app';
    return { text: `${used}, with its tokenizers`, title: `${what}: import it as an official model folder (fm/ + tokenizers/<layer>/) and it runs on ${used}, as the open model does.` };
  }
  if (!loaded) return { text: 'ONNX Runtime (waiting for the host)', title: '' };
  const title = loaded.execution.skipped.map((s) => `${s.provider}: ${s.reason}`).join('\n');
  return { text: used, title };
}

export function memoryText(bytes: number, available: number): string {
  if (bytes <= 0) return 'memory unknown';
  return `needs ≈${formatBytes(bytes)} of ${formatBytes(available)} free`;
}

export function parametersText(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} B parameters` : `${Math.round(n / 1e6)} M parameters`;
}

/** "2.0 of 3.3 GiB (61 %)" for a running download, "copying…" for an import. */
export function progressText(task: ModelTask): string {
  if (task.kind === 'import' && task.done === 0) return `Importing ${task.label}…`;
  const of = task.total ? ` of ${formatBytes(task.total)} (${Math.floor((task.done / task.total) * 100)} %)` : '';
  return `${task.kind === 'download' ? 'Downloading' : 'Importing'} ${task.label}${task.file ? ` · ${task.file}` : ''}: ${formatBytes(task.done)}${of}`;
}

const HEADLINES: Partial<Record<ModelError['code'], string>> = {
  offline: 'Offline',
  network: 'Could not reach the server',
  'not-found': 'Not found',
  checksum: 'The download is corrupt',
  'disk-full': 'Not enough disk space',
  memory: 'Will not fit in memory',
  bundled: 'Bundled models cannot be removed',
  exists: 'Already installed',
  busy: 'Busy',
  cancelled: 'Cancelled',
  'invalid-request': 'Invalid request',
  'not-allowed': 'Not allowed',
};

/** A failure as the panel says it: a short headline, then the manager's full message. */
export function errorText(error: ModelError): string {
  const head = HEADLINES[error.code];
  return head ? `${head}: ${error.message}` : error.message;
}

/** The id the host has open (or is opening), for the "active" mark. */
export function activeModelId(host: ModelStatus | undefined): string | null {
  return host && host.state !== 'failed' ? host.modelId : (host?.modelId ?? null);
}

/** Installed models first (the registry's order: extra, yours, bundled), each once per folder. */
export function sortInstalled(models: readonly InstalledModel[]): InstalledModel[] {
  const rank = { extra: 0, user: 1, bundled: 2 } as const;
  return [...models].sort((a, b) => rank[a.where] - rank[b.where]);
}

export type { CatalogModel, InstalledModel };

/** What the Models dialog says about the model the app is using, and the way back to the bundled one. */
export interface ActiveSummary {
  readonly text: string;
  readonly tone: 'ok' | 'busy' | 'bad';
  /** The bundled model to switch back to, when another model is active, opening or failed. */
  readonly back: { readonly id: string; readonly name: string } | null;
}

export function activeSummary(host: ModelStatus | undefined, installed: readonly InstalledModel[]): ActiveSummary {
  const usable = installed.filter((m) => !m.shadowed);
  const nameOf = (id: string | null): string => (id ? (usable.find((m) => m.id === id)?.displayName ?? id) : 'the model');
  const bundled = usable.find((m) => m.where === 'bundled');
  const back = bundled && bundled.id !== host?.modelId ? { id: bundled.id, name: bundled.displayName } : null;
  if (!host) return { text: 'Waiting for the inference host…', tone: 'busy', back: null };
  if (host.state === 'loading') return { text: `Opening ${nameOf(host.modelId)}… (the editor switches to it when it is ready)`, tone: 'busy', back };
  if (host.state === 'failed') return { text: `${nameOf(host.modelId)} could not be opened: ${host.message}`, tone: 'bad', back };
  const where = usable.find((m) => m.id === host.modelId)?.where;
  const from = where === 'bundled' ? ', bundled with the app' : where === 'user' ? ', from your models folder' : where === 'extra' ? ', from STUDIO_MODELS_PATH' : '';
  return { text: `Active: ${host.displayName}${from}. The editor is laid out for it.`, tone: 'ok', back };
}
