/**
 * The one IPC entry point (`fnstudio:call`) as a pure function: sender check, then the
 * contract's method table, then core. Errors come back as data ({ ok: false, error })
 * with the contract's error names; internals of other errors are not leaked.
 */
import type { FnStudioApi } from '../contract/api';
import { dispatch } from '../core/dispatch';
import type { IpcReply } from '../preload/ipc-protocol';
import { isTrustedSender } from './security-policy';

/** What the host knows about who sent an IPC message. */
export interface IpcSender {
  /** URL of the sending frame (event.senderFrame.url); null when the frame is gone. */
  frameUrl: string | null;
  /** The sending frame is the top frame of its page. */
  isMainFrame: boolean;
  /** The message came from our own window's webContents. */
  fromOurWindow: boolean;
}

function senderProblem(sender: IpcSender): string | null {
  if (!sender.fromOurWindow) return 'the message did not come from the fnstudio window';
  if (sender.frameUrl === null) return 'the sending frame no longer exists';
  if (!isTrustedSender(sender.frameUrl, sender.isMainFrame)) {
    return sender.isMainFrame
      ? `the sending page ${JSON.stringify(sender.frameUrl.slice(0, 200))} is not the fnstudio app`
      : 'the message came from a subframe';
  }
  return null;
}

/** Answers one `fnstudio:call`; core's dispatch validates against the method table. */
export async function handleIpcCall(api: FnStudioApi, sender: IpcSender, method: unknown, args: unknown): Promise<IpcReply> {
  const problem = senderProblem(sender);
  if (problem !== null) {
    return { ok: false, error: { name: 'Forbidden', message: `IPC call refused: ${problem}` } };
  }
  return dispatch(api, method, args);
}
