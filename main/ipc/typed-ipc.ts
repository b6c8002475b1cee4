import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { InvokeChannel, InvokeContract } from '../../preload/contract/channels';
import { isTrustedSender } from '../security/app-origin';

/**
 * The only place main registers invoke handlers: the contract types both ends, and every call
 * is checked to come from the app's own top-level page (app://studio, or the dev server in
 * development) before its handler runs. A frame of any other origin (an iframe, a page the
 * window was somehow navigated to) is refused.
 */
export function handle<C extends InvokeChannel>(
  channel: C,
  handler: (
    event: IpcMainInvokeEvent,
    ...args: InvokeContract[C]['args']
  ) => InvokeContract[C]['result'] | Promise<InvokeContract[C]['result']>,
): void {
  ipcMain.handle(channel, (event, ...args) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame ? { url: frame.url, isTopFrame: frame.parent === null } : null, process.env['ELECTRON_RENDERER_URL'])) {
      throw new Error(`IPC "${channel}" refused: it did not come from the app's own page`);
    }
    return handler(event, ...(args as InvokeContract[C]['args']));
  });
}
