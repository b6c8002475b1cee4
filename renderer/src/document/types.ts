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
  | { readonly kind: 'palette'; readonly swatches: readonly Rgb[] }
  | ReferenceContent;

/** A thumbnail's side in pixels (RGBA): what the artist sees of a picture reference. */
export const REFERENCE_THUMBNAIL_SIDE = 56;

/**
 * A picture reference (4M-21's tok_dinov2_global / tok_imagebind_global): the 16 tokens the model
 * read from a picture, or predicted. Nothing decodes them, so the picture they were read from is kept
 * as a small thumbnail for the artist to see; a predicted one has none. `ids` null = empty.
 */
export interface ReferenceContent {
  readonly kind: 'reference';
  readonly ids: Int32Array | null;
  /** Where the tokens came from, for the artist: "the RGB layer", a file name, or "" when predicted. */
  readonly source: string;
  /** REFERENCE_THUMBNAIL_SIDE² RGBA pixels of the source picture; null when predicted. */
  readonly thumbnail: Uint8Array | null;
}

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
  /**
   * The pixels of the request's image-pixels inputs (painted layers sent as pixels), by their ref:
   * what "Upscale ×2" sends again with the request. Absent on results from files before format 3.
   */
  readonly inputs?: Readonly<Record<string, InputPixels>>;
}

/** An image-pixels input as the job sent it: RGBA8, row-major (its ref is the SHA-256 of these bytes). */
export interface InputPixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** One layer of an upscaled result: the SR model's picture (448 × 448 for 4M-7-SR), kept as PNG bytes. */
export interface UpscaledPicture {
  /** The layer it is an upscale of (a modality id of the manifest). */
  readonly layer: string;
  readonly width: number;
  readonly height: number;
  readonly png: Uint8Array;
}

/** A result of "Upscale ×2": kept beside the gallery, never on the layers (they stay at the model's size). */
export interface UpscaledEntry {
  readonly id: string;
  /** ISO 8601; set by the caller. */
  readonly createdAt: string;
  /** The gallery entry it was upscaled from (it may have been removed since). */
  readonly source: string;
  readonly sourceSeed: number;
  /** The super-resolution model, by installed model id. */
  readonly srModel: string;
  readonly pictures: readonly UpscaledPicture[];
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
  /** Upscaled results, oldest first. */
  readonly upscaled: UpscaledEntry[];
}
