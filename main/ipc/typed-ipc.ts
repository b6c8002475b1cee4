import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { InvokeChannel, InvokeContract } from '../../preload/contract/channels';

/** The only place main registers invoke handlers: the contract types both ends. */
export function handle<C extends InvokeChannel>(
  channel: C,
  handler: (
    event: IpcMainInvokeEvent,
    ...args: InvokeContract[C]['args']
  ) => InvokeContract[C]['result'] | Promise<InvokeContract[C]['result']>,
): void {
  ipcMain.handle(channel, (event, ...args) => handler(event, ...(args as InvokeContract[C]['args'])));
}
