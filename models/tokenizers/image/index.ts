export * from './rgba';
export * from './resize';
export * from './colormaps';
export * from './domain-codec';
