/**
 * Requests arrive in the runtime process as fresh copies (every message is cloned), so
 * two invocations of one function never share their settings or mock-rules objects. The
 * runtime sends invocations that share those objects to a worker together, with the code
 * and settings once for all of them; this gives them back that sharing: a request equal
 * in value to the function's previous one gets the previous one's objects. Only the most
 * recent configuration per function is kept, so nothing grows with use.
 */
import type { InvokeRequest } from '../../../runtime/api';

interface Known {
  code: string;
  filename: string;
  settingsJson: string;
  networkJson: string;
  settings: InvokeRequest['settings'];
  network: InvokeRequest['network'];
  /** The objects of the latest message that were found equal to these (checked once per message). */
  seenSettings: InvokeRequest['settings'];
  seenNetwork: InvokeRequest['network'];
}

const MAX_FUNCTIONS = 256;

export class SharedConfigurations {
  private readonly latest = new Map<string, Known>();

  /**
   * The request, with settings and network objects shared with its equal predecessor.
   * Requests are decoded messages owned by the runtime process: they are changed in place.
   */
  canonical(request: InvokeRequest): InvokeRequest {
    const known = this.latest.get(request.functionId);
    const sameSource = known !== undefined && known.code === request.code && known.filename === request.filename;
    // The requests of one message share their objects (see encodeInvokeMany): compare by value once per message.
    if (sameSource && known.settings === request.settings && known.network === request.network) return request;
    if (sameSource && known.seenSettings === request.settings && known.seenNetwork === request.network) return share(request, known);
    const settingsJson = JSON.stringify(request.settings);
    const networkJson = request.network === undefined ? '' : JSON.stringify(request.network);
    if (sameSource && known.settingsJson === settingsJson && known.networkJson === networkJson) {
      known.seenSettings = request.settings;
      known.seenNetwork = request.network;
      return share(request, known);
    }
    if (this.latest.size >= MAX_FUNCTIONS && !this.latest.has(request.functionId)) this.latest.clear();
    this.latest.set(request.functionId, {
      code: request.code,
      filename: request.filename,
      settingsJson,
      networkJson,
      settings: request.settings,
      network: request.network,
      seenSettings: request.settings,
      seenNetwork: request.network,
    });
    return request;
  }
}

function share(request: InvokeRequest, known: Known): InvokeRequest {
  request.settings = known.settings;
  if (known.network === undefined) delete request.network;
  else request.network = known.network;
  return request;
}
