/**
 * Hardens the worker's realm. Imported first by the worker entry, before any other
 * module, so every later module sees frozen intrinsics.
 */
import 'ses';
import { formatGuestStack } from './host-frames';

// A shared allocation pool would let guest code read bytes of other buffers in this
// process, and unpooled allocUnsafe returns uninitialised memory: both must go before
// Buffer is hardened and handed to guests.
Buffer.poolSize = 0;
const safeAlloc = (size: number): Buffer => Buffer.alloc(size);
Object.defineProperty(Buffer, 'allocUnsafe', { value: safeAlloc, writable: false, configurable: false });
Object.defineProperty(Buffer, 'allocUnsafeSlow', { value: safeAlloc, writable: false, configurable: false });

// Node's internal errors (e.g. the AbortError of a stream) extend the original V8 Error,
// which lockdown replaces but leaves writable; guest code reaching one could install
// prepareStackTrace and receive host call sites. Keep a handle to freeze it afterwards.
const OriginalError = globalThis.Error;

lockdown({
  domainTaming: 'unsafe', // aws-sdk v2 defines `domain` on its emitters
  overrideTaming: 'severe', // lodash and aws-sdk assign over frozen prototype properties
  errorTaming: 'unsafe', // keep V8 stacks: we map them to the user's own lines
  errorTrapping: 'none', // an uncaught guest error must not exit the worker
  consoleTaming: 'unsafe',
  stackFiltering: 'verbose',
});


// Guest code can read `error.stack`; with errorTaming 'unsafe' V8 would list the host's
// frames and paths there (the runtime's files, Node internals). Format every stack in
// this realm without them (host-frames.ts). Guests cannot reach this function: it lives
// on the start compartment's Error, and compartments get SES's own Error.
Error.prepareStackTrace = formatGuestStack;

// Only now: SES stores the formatter above on the original Error, which then stays frozen.
Object.freeze(OriginalError);
Object.freeze(OriginalError.prototype);
harden(Buffer);
