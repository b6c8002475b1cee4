// Pure data (manifest schema and types), safe for any process. The disk loader
// (node:fs, node:crypto) is imported from './package-loader' directly.
export * from './manifest';
export * from './license';
export * from './memory';
export * from './checkpoint-config';
