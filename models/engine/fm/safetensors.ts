/**
 * Safetensors reader for our packages and for official 4M checkpoints: the
 * 8-byte little-endian header length, the JSON header, then raw little-endian
 * tensors. The header is validated in full before any data is read, and each
 * tensor is read by its file offset, so multi-GB checkpoints are never loaded
 * whole and only the tensors asked for cost memory. F32, F16 and BF16 are
 * decoded into float32 (the maths runs in float32).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { fileKind } from '../../registry/read-text';

export interface F32Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** One tensor's header entry, with absolute file offsets. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute byte offsets in the file: [begin, end). */
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly file: string;
  readonly fileSize: number;
  readonly entries: ReadonlyMap<string, SafetensorsEntry>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Bytes per element of every dtype the format defines; only the float ones can be read as float32. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16']);
/** The format's own limit on the JSON header (the reference Rust reader refuses larger ones). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Tensors are read and decoded in chunks of this many bytes, so a big tensor is not held twice. */
const CHUNK_BYTES = 64 * 1024 * 1024;

/**
 * Validates a parsed header against the file size and turns it into entries.
 * Pure: `fileSize` and `headerLen` come from the caller.
 */
export function parseHeader(file: string, json: string, headerLen: number, fileSize: number): SafetensorsHeader {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${file}: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return fail(`the safetensors header is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('the safetensors header is not a JSON object');
  const dataStart = 8 + headerLen;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value, fail);
      continue;
    }
    const where = `tensor "${name}"`;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return fail(`${where}: header entry is not an object`);
    const e = value as Record<string, unknown>;
    if (typeof e.dtype !== 'string') return fail(`${where}: header entry has no dtype`);
    const size = DTYPE_BYTES[e.dtype];
    if (size === undefined) return fail(`${where}: unknown dtype "${e.dtype}"`);
    if (!Array.isArray(e.shape)) return fail(`${where}: header entry has no shape`);
    if (!e.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return fail(`${where}: shape ${JSON.stringify(e.shape)} is not a list of non-negative integers`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && (o as number) >= 0) || (offs[0] as number) > (offs[1] as number)) {
      return fail(`${where}: data_offsets ${JSON.stringify(offs)} are not two ordered non-negative integers`);
    }
    const shape = e.shape as number[];
    const [b, en] = offs as [number, number];
    const count = shape.reduce((a, d) => a * d, 1);
    if (en - b !== count * size) {
      return fail(`${where}: ${en - b} bytes of data for shape [${shape.join(', ')}] of ${e.dtype}, which needs ${count * size} (dtype or shape does not match the data)`);
    }
    if (dataStart + en > fileSize) {
      return fail(`${where}: data ends at byte ${dataStart + en} but the file has ${fileSize} bytes (truncated?)`);
    }
    entries.set(name, { name, dtype: e.dtype, shape, begin: dataStart + b, end: dataStart + en });
  }
  const sorted = [...entries.values()].filter((e) => e.end > e.begin).sort((x, y) => x.begin - y.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as SafetensorsEntry;
    const cur = sorted[i] as SafetensorsEntry;
    if (cur.begin < prev.end) return fail(`tensors "${prev.name}" and "${cur.name}" overlap in the file`);
  }
  return { file, fileSize, entries, metadata };
}

function checkMetadata(value: unknown, fail: (msg: string) => never): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail('__metadata__ is not a JSON object');
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') return fail(`__metadata__.${k} is not a string`);
  }
  return value as Record<string, string>;
}

async function withFile<T>(file: string, body: (fh: FileHandle) => Promise<T>): Promise<T> {
  // Checked before opening: a folder opens fine on POSIX and fails at the first read with an errno
  // that names no file, and opening a FIFO waits for a writer that never comes.
  const info = await stat(file).catch(() => undefined);
  if (info && !info.isFile()) throw new SafetensorsError(`${file}: is ${fileKind(info)}, expected a .safetensors file`);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (error) {
    throw new SafetensorsError(`${file}: cannot open (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return await body(fh);
  } finally {
    await fh.close();
  }
}

async function readExactly(fh: FileHandle, file: string, target: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await fh.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new SafetensorsError(`${file}: unexpected end of file at byte ${position + done} (truncated?)`);
    done += bytesRead;
  }
}

async function headerOf(fh: FileHandle, file: string): Promise<SafetensorsHeader> {
  const fileSize = (await fh.stat()).size;
  if (fileSize < 8) throw new SafetensorsError(`${file}: ${fileSize} bytes is too short for a safetensors file`);
  const lenBytes = new Uint8Array(8);
  await readExactly(fh, file, lenBytes, 0);
  const headerLen64 = new DataView(lenBytes.buffer).getBigUint64(0, true);
  if (headerLen64 > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`${file}: header length ${headerLen64} is over the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file?)`);
  }
  const headerLen = Number(headerLen64);
  if (8 + headerLen > fileSize) throw new SafetensorsError(`${file}: header length ${headerLen} runs past the end of the file (${fileSize} bytes)`);
  const json = new Uint8Array(headerLen);
  await readExactly(fh, file, json, 8);
  return parseHeader(file, new TextDecoder().decode(json), headerLen, fileSize);
}

/** Reads and validates only the header: tensor names, dtypes, shapes, offsets and `__metadata__`. */
export function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  return withFile(file, (fh) => headerOf(fh, file));
}

/**
 * Reads tensors as float32. `want` selects by name (default: all); tensors not
 * selected are never read, so picking the embedding tables out of a full
 * checkpoint costs only their size.
 */
export async function readSafetensors(file: string, want?: (name: string) => boolean): Promise<Map<string, F32Tensor>> {
  return withFile(file, async (fh) => {
    const header = await headerOf(fh, file);
    const out = new Map<string, F32Tensor>();
    for (const e of header.entries.values()) {
      if (want && !want(e.name)) continue;
      out.set(e.name, { data: await readEntry(fh, file, e), shape: e.shape });
    }
    return out;
  });
}

/** Reads named tensors of an already-parsed header (each by its offset). */
export function readTensors(header: SafetensorsHeader, names: readonly string[]): Promise<Map<string, F32Tensor>> {
  return withFile(header.file, async (fh) => {
    const out = new Map<string, F32Tensor>();
    for (const name of names) {
      const e = header.entries.get(name);
      if (!e) throw new SafetensorsError(`${header.file}: tensor "${name}" is missing`);
      out.set(name, { data: await readEntry(fh, header.file, e), shape: e.shape });
    }
    return out;
  });
}

async function readEntry(fh: FileHandle, file: string, e: SafetensorsEntry): Promise<Float32Array> {
  if (!FLOAT_DTYPES.has(e.dtype)) throw new SafetensorsError(`${file}: tensor "${e.name}" has dtype ${e.dtype}; expected F32, F16 or BF16`);
  const size = DTYPE_BYTES[e.dtype] as number;
  const count = (e.end - e.begin) / size;
  const out = new Float32Array(count);
  if (e.dtype === 'F32') {
    // Little-endian hosts only (every platform the app ships on): the bytes are the values.
    await readExactly(fh, file, new Uint8Array(out.buffer), e.begin);
    return out;
  }
  const perChunk = Math.floor(CHUNK_BYTES / size);
  const chunk = new Uint16Array(Math.min(count, perChunk));
  const bits = new Uint32Array(out.buffer);
  for (let start = 0; start < count; start += perChunk) {
    const n = Math.min(perChunk, count - start);
    const view = chunk.subarray(0, n);
    await readExactly(fh, file, new Uint8Array(view.buffer, 0, n * 2), e.begin + start * 2);
    if (e.dtype === 'F16') {
      const table = halfTable();
      for (let i = 0; i < n; i++) out[start + i] = table[view[i] as number] as number;
    } else {
      // bfloat16 is the top half of a float32.
      for (let i = 0; i < n; i++) bits[start + i] = (view[i] as number) << 16;
    }
  }
  return out;
}

let HALF_TABLE: Float32Array | undefined;
function halfTable(): Float32Array {
  if (!HALF_TABLE) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}

/** IEEE 754 binary16 → number, subnormals and infinities included. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
