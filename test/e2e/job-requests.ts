import type { Page } from 'playwright-core';

/** The part of a generation job's request that the e2e tests read (preload/contract/generation). */
export interface SentRequest {
  readonly inputs?: Record<string, { kind: string; keepMask?: number[]; text?: string; ref?: string }>;
  readonly targets?: { modality: string; tokenChoice?: string; temperature: number }[];
  /** The pixels the job carried for its image-pixels inputs, by ref (RGBA, base64): what the host reads. */
  readonly pixels?: Record<string, { width: number; height: number; rgba: string }>;
}

/**
 * Every generation request the page sends over the harness WebSocket from now on, in order. Call it
 * before the page reloads, so that the socket is opened under watch.
 */
export function watchJobRequests(page: Page): SentRequest[] {
  const sent: SentRequest[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      const message = JSON.parse(String(frame.payload)) as { type?: string; request?: { request?: SentRequest; images?: SentRequest['pixels'] } };
      if (message.type === 'job' && message.request?.request) sent.push({ ...message.request.request, pixels: message.request.images ?? {} });
    }),
  );
  return sent;
}
