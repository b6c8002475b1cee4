// Bytes ↔ base64 for the JSON wire (the contract carries pixels as base64 text): the contract's own
// implementation, so the generation and project transports encode alike.
export { base64ToBytes, bytesToBase64 } from '../../../preload/contract/wire';
