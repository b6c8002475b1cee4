export * from './text';
export * from './sequence';
