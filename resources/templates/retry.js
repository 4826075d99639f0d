// Call an API and let Segment retry what is worth retrying.
// Segment retries only when the function throws RetryError (or times out):
// a 5xx or 429 answer from fetch is NOT retried unless you throw it.
// Settings: apiKey (STRING, sensitive, required).

const API_URL = 'https://api.example.com/v1/events';

/**
 * @param {SegmentTrackEvent} event
 * @param {FunctionSettings} settings
 */
async function onTrack(event, settings) {
  let response;
  try {
    response = await fetch(API_URL, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${settings.apiKey}`,
        'Content-Type': 'application/json',
        // Lets the API drop duplicates when Segment delivers a retry.
        'Idempotency-Key': event.messageId
      },
      body: JSON.stringify({
        name: event.event,
        user: event.userId || event.anonymousId,
        properties: event.properties,
        time: event.timestamp
      })
    });
  } catch (error) {
    throw new RetryError(`Network error: ${error.message}`);
  }

  if (response.status === 429) {
    const wait = response.headers.get('retry-after');
    throw new RetryError(`Rate limited${wait ? ` (retry after ${wait}s)` : ''}`);
  }
  if (response.status >= 500) {
    throw new RetryError(`Server error ${response.status}`);
  }
  if (response.status >= 400) {
    // Client errors are permanent: retrying the same event gives the same answer.
    const body = await response.text();
    throw new ValidationError(`Rejected with ${response.status}: ${body.slice(0, 200)}`);
  }

  console.log(`Delivered ${event.event} (${response.status})`);
  return response.json();
}
