/**
 * How a stack reads inside the sandbox: guest code can read `error.stack`, and V8 would
 * list the host's frames and file paths there (the runtime's files, Node internals, the
 * user's home directory). Frames in host files are left out and directories are cut from
 * what remains (e.g. eval origins), for POSIX paths and for Windows ones (drive letters,
 * UNC shares, `\\?\` long paths) alike. Pure text work: lockdown.ts installs it.
 */

/** A file V8 names by an absolute path or a URL is the host's; the user's file has a bare name. */
const HOST_FILE = /^(?:\/|\\\\|[A-Za-z]:[\\/]|node:|file:)/;

/**
 * A directory part of an absolute path, anywhere in a frame's text: POSIX (`/a/b/`),
 * Windows drive (`C:\a\b\`), UNC (`\\server\share\`), optionally after `file://`. Stops
 * at `(`, `)` and `:` (the line:column that follows a file name), so paths with spaces
 * are cut whole.
 */
const HOST_DIRECTORY = /(?:file:\/\/\/?)?(?:\/|\\\\|[A-Za-z]:[\\/])[^():\n]*[\\/]/g;

export function isHostFile(fileName: string | null | undefined): boolean {
  return typeof fileName === 'string' && HOST_FILE.test(fileName);
}

export function withoutHostDirectories(text: string): string {
  return text.replace(HOST_DIRECTORY, '');
}

/** The parts of a V8 CallSite this needs. */
export interface FrameLike {
  getFileName(): string | null | undefined;
  toString(): string;
}

/** Error.prepareStackTrace for the worker's realm: the head, then only the guest's frames. */
export function formatGuestStack(error: unknown, frames: readonly FrameLike[]): string {
  let text: string;
  try {
    text = String(error);
  } catch {
    text = 'Error';
  }
  for (const frame of frames) {
    let fileName: string | null | undefined;
    try {
      fileName = frame.getFileName();
    } catch {
      fileName = null;
    }
    if (isHostFile(fileName)) continue;
    text += `\n    at ${withoutHostDirectories(String(frame))}`;
  }
  return text;
}
