/**
 * Just enough protobuf to write a one-node ONNX model (the matmul probe), so
 * no binary fixture has to be committed. Field numbers are from onnx.proto.
 */
const enc = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const intField = (field: number, v: number): number[] => [...varint(field << 3), ...varint(v)];
const bytesField = (field: number, bytes: ArrayLike<number>): number[] => [...varint((field << 3) | 2), ...varint(bytes.length), ...Array.from(bytes)];
const strField = (field: number, s: string): number[] => bytesField(field, enc.encode(s));

const FLOAT = 1;

function valueInfo(name: string, dims: readonly number[]): number[] {
  const shape = dims.flatMap((d) => bytesField(1, intField(1, d)));
  const tensorType = [...intField(1, FLOAT), ...bytesField(2, shape)];
  return [...strField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** Y = A·B with A [m,k], B [k,n], opset 17. */
export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const node = [...strField(1, 'A'), ...strField(1, 'B'), ...strField(2, 'Y'), ...strField(3, 'mm'), ...strField(4, 'MatMul')];
  const graph = [
    ...bytesField(1, node),
    ...strField(2, 'matmul_probe'),
    ...bytesField(11, valueInfo('A', [m, k])),
    ...bytesField(11, valueInfo('B', [k, n])),
    ...bytesField(12, valueInfo('Y', [m, n])),
  ];
  const opset = [...strField(1, ''), ...intField(2, 17)];
  return Uint8Array.from([...intField(1, 8), ...bytesField(8, opset), ...bytesField(7, graph)]);
}
