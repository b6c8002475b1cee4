// The outer container: magic, version, JSON header, binary blob, CRC-32. See FORMAT.md.
import { crc32 } from './crc32';
import { ProjectError } from './errors';
import { decodeUtf8, encodeUtf8 } from './utf8';

/** 0x89 then "4MSP", then CR LF SUB: like PNG, catches text-mode mangling and non-projects. */
export const MAGIC = Uint8Array.of(0x89, 0x34, 0x4d, 0x53, 0x50, 0x0d, 0x0a, 0x1a);
const PREFIX_BYTES = 16; // magic, u32 version, u32 header length
const CRC_BYTES = 4;

export interface ChunkRef {
  readonly offset: number;
  readonly length: number;
}

/** Collects binary chunks in write order, so the same document always gives the same blob. */
export class BlobWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  add(bytes: Uint8Array): ChunkRef {
    const ref = { offset: this.size, length: bytes.byteLength };
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    return ref;
  }
  get byteLength(): number {
    return this.size;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }
}

export function writeContainer(version: number, headerJson: string, blob: Uint8Array): Uint8Array {
  const header = encodeUtf8(headerJson);
  const out = new Uint8Array(PREFIX_BYTES + header.byteLength + blob.byteLength + CRC_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, header.byteLength, true);
  out.set(header, PREFIX_BYTES);
  out.set(blob, PREFIX_BYTES + header.byteLength);
  const body = out.subarray(0, out.byteLength - CRC_BYTES);
  view.setUint32(out.byteLength - CRC_BYTES, crc32(body), true);
  return out;
}

export interface ContainerParts {
  readonly version: number;
  readonly headerText: string;
  readonly blob: Uint8Array;
}

export function readContainer(bytes: Uint8Array): ContainerParts {
  if (bytes.byteLength < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new ProjectError('magic', 'not a 4M Studio project: the file does not start with the project signature');
  }
  if (bytes.byteLength < PREFIX_BYTES + CRC_BYTES) {
    throw new ProjectError('truncated', `file is truncated: ${bytes.byteLength} bytes is shorter than the ${PREFIX_BYTES + CRC_BYTES}-byte frame`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  const headerLength = view.getUint32(12, true);
  const blobLength = bytes.byteLength - PREFIX_BYTES - CRC_BYTES - headerLength;
  if (blobLength < 0) {
    throw new ProjectError('truncated', `file is truncated: header says ${headerLength} bytes but only ${bytes.byteLength - PREFIX_BYTES - CRC_BYTES} remain`);
  }
  const stored = view.getUint32(bytes.byteLength - CRC_BYTES, true);
  const actual = crc32(bytes.subarray(0, bytes.byteLength - CRC_BYTES));
  if (stored !== actual) {
    throw new ProjectError('checksum', 'file is damaged or truncated: checksum does not match its contents');
  }
  const headerText = decodeUtf8(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength));
  if (headerText === null) throw new ProjectError('json', 'header: expected UTF-8 text');
  const blob = bytes.subarray(PREFIX_BYTES + headerLength, PREFIX_BYTES + headerLength + blobLength);
  return { version, headerText, blob };
}
