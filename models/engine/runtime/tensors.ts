/**
 * Plain typed-array tensors that cross the engine boundary. Callers never see
 * ORT types; the runtime converts at the last moment.
 */
export type TensorData =
  | { readonly type: 'float32'; readonly data: Float32Array; readonly dims: readonly number[] }
  | { readonly type: 'int64'; readonly data: BigInt64Array; readonly dims: readonly number[] }
  | { readonly type: 'bool'; readonly data: Uint8Array; readonly dims: readonly number[] };

export type TensorType = TensorData['type'];

export const float32 = (data: Float32Array, dims: readonly number[]): TensorData => ({ type: 'float32', data, dims });
export const int64 = (data: BigInt64Array, dims: readonly number[]): TensorData => ({ type: 'int64', data, dims });
export const bool = (data: Uint8Array, dims: readonly number[]): TensorData => ({ type: 'bool', data, dims });

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function expectFloat32(t: TensorData | undefined, what: string): Extract<TensorData, { type: 'float32' }> {
  if (!t) throw new Error(`${what}: missing output`);
  if (t.type !== 'float32') throw new Error(`${what}: expected float32, got ${t.type}`);
  return t;
}

export function expectInt64(t: TensorData | undefined, what: string): Extract<TensorData, { type: 'int64' }> {
  if (!t) throw new Error(`${what}: missing output`);
  if (t.type !== 'int64') throw new Error(`${what}: expected int64, got ${t.type}`);
  return t;
}
