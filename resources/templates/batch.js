// Receive events in batches (up to 20 events or 10 seconds by default) and send
// them in one request. Return one result per input event, by position:
// {status: 200} for delivered, {status: 400|500, errormessage} for failed.
// 5xx items are retried, 4xx items are dropped. Throwing RetryError retries the
// whole batch; any other throw discards it.
// Settings: endpoint (STRING, required).

/**
 * @param {SegmentEvent[]} events
 * @param {FunctionSettings} settings
 */
async function onBatch(events, settings) {
  const results = events.map(() => ({ status: 200 }));

  // Drop what the API would reject anyway, but keep positions aligned.
  const sendable = [];
  events.forEach((event, index) => {
    if (!event.userId && !event.anonymousId) {
      results[index] = { status: 400, errormessage: 'missing userId and anonymousId' };
    } else {
      sendable.push({ index, event });
    }
  });
  if (sendable.length === 0) return results;

  let response;
  try {
    response = await fetch(settings.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ batch: sendable.map(({ event }) => event) })
    });
  } catch (error) {
    throw new RetryError(`Network error: ${error.message}`);
  }

  if (response.status === 429 || response.status >= 500) {
    for (const { index } of sendable) {
      results[index] = { status: 500, errormessage: `API answered ${response.status}` };
    }
  } else if (!response.ok) {
    for (const { index } of sendable) {
      results[index] = { status: 400, errormessage: `API rejected the batch: ${response.status}` };
    }
  }
  return results;
}

/**
 * Single events still arrive here when batching is off.
 * @param {SegmentTrackEvent} event
 * @param {FunctionSettings} settings
 */
async function onTrack(event, settings) {
  const [result] = await onBatch([event], settings);
  if (result.status >= 500) throw new RetryError(result.errormessage);
  if (result.status >= 400) throw new InvalidEventPayload(result.errormessage);
}
