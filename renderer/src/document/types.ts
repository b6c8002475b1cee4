// The document's data. Plain objects and typed arrays only, so it can be structurally
// cloned to a worker and compared in tests. Mutated only by applyDelta (deltas.ts).
import type { DocumentManifest, LayerKind } from './manifest';

export type LayerRole = 'condition' | 'generate' | 'ignore';
export type SyncStatus = 'in-sync' | 'stale' | 'empty';

/** A pixel buffer, row-major, interleaved channels, 8 bits each. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

/** Box corners normalized to [0,1], x0 ≤ x1, y0 ≤ y1. */
export interface Box {
  readonly id: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly label: string;
}

export type Rgb = readonly [number, number, number];

export type LayerContent =
  | { readonly kind: 'image'; readonly plane: Plane }
  | { readonly kind: 'segmentation'; readonly plane: Plane }
  | { readonly kind: 'boxes'; readonly boxes: readonly Box[] }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'palette'; readonly swatches: readonly Rgb[] };

/** The model's discrete tokens for a layer; `agree` is false once pixels were edited after tokenizing. */
export interface LayerTokens {
  readonly ids: Int32Array;
  readonly agree: boolean;
}

export interface LayerProps {
  visible: boolean;
  opacity: number;
  locked: boolean;
  role: LayerRole;
  sync: SyncStatus;
  /** Layers this one was last derived from; an edit of any of them marks this one stale. */
  derivedFrom: readonly string[];
}

export interface Layer extends LayerProps {
  readonly id: string;
  readonly kind: LayerKind;
  content: LayerContent;
  /** Token-grid bitmask (tokenCols × tokenRows, 1 = regenerate), or null for "whole layer". */
  mask: Uint8Array | null;
  tokens: LayerTokens | null;
}

export interface GalleryEntry {
  readonly id: string;
  /** ISO 8601; set by the caller so the core stays clock-free and deterministic. */
  readonly createdAt: string;
  /** The GenerationRequest as JSON; its schema lives in preload/contract/generation.ts. */
  readonly request: JsonValue;
  readonly outputs: Readonly<Record<string, GalleryOutput>>;
  accepted: boolean;
}

export interface GalleryOutput {
  readonly content: LayerContent;
  readonly tokens: Int32Array | null;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface DocumentState {
  readonly manifest: DocumentManifest;
  /** In manifest order; the key is the modality id. */
  readonly layers: Map<string, Layer>;
  readonly gallery: GalleryEntry[];
}
