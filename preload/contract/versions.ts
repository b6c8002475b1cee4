/**
 * Version of the renderer <-> inference-host protocol. Bump it when a message
 * changes shape; the renderer refuses a host that speaks another version
 * instead of failing on the first odd message.
 */
export const PROTOCOL_VERSION = 2;
