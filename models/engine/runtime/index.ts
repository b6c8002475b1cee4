export * from './tensors';
export * from './input-check';
export * from './graph-session';
export * from './session-cache';
export * from './matmul-probe';
