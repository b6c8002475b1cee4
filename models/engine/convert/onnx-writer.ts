/**
 * A small ONNX graph builder that serialises ModelProto bytes directly, so the
 * app can write graphs for official checkpoints on the user's machine. Weights
 * are never copied: each initializer is an external-data reference (file,
 * offset, length) into the checkpoint's safetensors file. Field numbers are
 * from onnx.proto (proto2; repeated scalars written unpacked).
 */

const enc = new TextEncoder();

class Bytes {
  readonly parts: number[] = [];
  varint(n: number | bigint): this {
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n; // two's complement, as protobuf encodes negative int64
    while (v > 127n) {
      this.parts.push(Number(v & 127n) | 128);
      v >>= 7n;
    }
    this.parts.push(Number(v));
    return this;
  }
  int(field: number, v: number | bigint): this {
    return this.varint(field << 3).varint(v);
  }
  bytes(field: number, b: ArrayLike<number>): this {
    this.varint((field << 3) | 2).varint(b.length);
    for (let i = 0; i < b.length; i++) this.parts.push(b[i] as number);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, enc.encode(s));
  }
  msg(field: number, m: Bytes): this {
    return this.bytes(field, m.parts);
  }
  float(field: number, v: number): this {
    this.varint((field << 3) | 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.parts.push(...b);
    return this;
  }
}

/** ONNX TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, INT64: 7, BOOL: 9, FLOAT16: 10, BFLOAT16: 16 } as const;
export type DataType = (typeof DT)[keyof typeof DT];

export type AttrValue = number | string | number[] | { readonly float: number };

export interface ExternalTensor {
  readonly name: string;
  readonly dataType: DataType;
  readonly dims: readonly number[];
  /** Path relative to the graph file. */
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

/** Builds one graph; node outputs get unique names from `fresh`. */
export class GraphBuilder {
  private readonly nodes: Bytes[] = [];
  private readonly inits: Bytes[] = [];
  private readonly inputs: Bytes[] = [];
  private readonly outputs: Bytes[] = [];
  private counter = 0;

  fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, elemType: DataType, dims: readonly (number | string)[]): string {
    this.inputs.push(valueInfo(name, elemType, dims));
    return name;
  }

  output(name: string, elemType: DataType, dims: readonly (number | string)[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  /** A node with one output (named `out`, or a fresh name). */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, out?: string): string {
    const o = out ?? this.fresh(opType.toLowerCase());
    this.opMulti(opType, inputs, [o], attrs);
    return o;
  }

  opMulti(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}): void {
    const n = new Bytes();
    for (const i of inputs) n.str(1, i);
    for (const o of outputs) n.str(2, o);
    n.str(3, outputs[0] as string).str(4, opType);
    for (const [k, v] of Object.entries(attrs)) n.msg(5, attribute(k, v));
    this.nodes.push(n);
  }

  /** A small constant stored inside the graph. */
  constFloat(values: readonly number[], dims: readonly number[], hint = 'c'): string {
    const name = this.fresh(hint);
    const t = new Bytes();
    for (const d of dims) t.int(1, d);
    t.int(2, DT.FLOAT).str(8, name).bytes(9, new Uint8Array(Float32Array.from(values).buffer));
    this.inits.push(t);
    return name;
  }

  constInt64(values: readonly number[], dims: readonly number[], hint = 'i'): string {
    const name = this.fresh(hint);
    const t = new Bytes();
    for (const d of dims) t.int(1, d);
    t.int(2, DT.INT64).str(8, name).bytes(9, new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer));
    this.inits.push(t);
    return name;
  }

  /** An initializer whose bytes stay in another file. */
  external(t: ExternalTensor): string {
    const b = new Bytes();
    for (const d of t.dims) b.int(1, d);
    b.int(2, t.dataType).str(8, t.name);
    const kv = (k: string, v: string): Bytes => new Bytes().str(1, k).str(2, v);
    b.msg(13, kv('location', t.location)).msg(13, kv('offset', String(t.offset))).msg(13, kv('length', String(t.length)));
    b.int(14, 1); // data_location = EXTERNAL
    this.inits.push(b);
    return t.name;
  }

  /** ModelProto bytes. IR version 9 (ORT 1.30 refuses newer than 13), default-domain opset. */
  build(name: string, opset = 17): Uint8Array {
    const g = new Bytes();
    for (const n of this.nodes) g.msg(1, n);
    g.str(2, name);
    for (const i of this.inits) g.msg(5, i);
    for (const i of this.inputs) g.msg(11, i);
    for (const o of this.outputs) g.msg(12, o);
    const m = new Bytes().int(1, 9).str(2, '4m-studio').msg(7, g).msg(8, new Bytes().str(1, '').int(2, opset));
    return Uint8Array.from(m.parts);
  }
}

function valueInfo(name: string, elemType: DataType, dims: readonly (number | string)[]): Bytes {
  const shape = new Bytes();
  for (const d of dims) shape.msg(1, typeof d === 'number' ? new Bytes().int(1, d) : new Bytes().str(2, d));
  const tensor = new Bytes().int(1, elemType).msg(2, shape);
  return new Bytes().str(1, name).msg(2, new Bytes().msg(1, tensor));
}

function attribute(name: string, v: AttrValue): Bytes {
  const a = new Bytes().str(1, name);
  if (typeof v === 'number') return a.int(3, v).int(20, 2); // INT
  if (typeof v === 'string') return a.str(4, v).int(20, 3); // STRING
  if (Array.isArray(v)) {
    for (const x of v) a.int(8, x);
    return a.int(20, 7); // INTS
  }
  return a.float(2, (v as { float: number }).float).int(20, 1); // FLOAT
}
