// POST each event as JSON to a webhook.
// Settings: webhookUrl (STRING, required), token (STRING, sensitive, optional).

/**
 * Sends one event and maps the response to Segment's outcomes.
 * @param {object} payload
 * @param {FunctionSettings} settings
 */
async function postToWebhook(payload, settings) {
  if (!settings.webhookUrl) {
    throw new ValidationError('The webhookUrl setting is required');
  }

  const headers = { 'Content-Type': 'application/json' };
  if (settings.token) {
    headers.Authorization = `Bearer ${settings.token}`;
  }

  let response;
  try {
    response = await fetch(settings.webhookUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload)
    });
  } catch (error) {
    // A network failure is usually temporary: let Segment retry.
    throw new RetryError(`Could not reach the webhook: ${error.message}`);
  }

  if (response.status >= 500 || response.status === 429) {
    throw new RetryError(`Webhook answered ${response.status}`);
  }
  if (!response.ok) {
    // 4xx will not get better by retrying.
    throw new Error(`Webhook rejected the event: ${response.status} ${await response.text()}`);
  }
  return { status: response.status };
}

/**
 * @param {SegmentTrackEvent} event
 * @param {FunctionSettings} settings
 */
async function onTrack(event, settings) {
  return postToWebhook(
    {
      type: 'track',
      event: event.event,
      userId: event.userId || null,
      anonymousId: event.anonymousId || null,
      properties: event.properties || {},
      timestamp: event.timestamp,
      messageId: event.messageId
    },
    settings
  );
}

/**
 * @param {SegmentIdentifyEvent} event
 * @param {FunctionSettings} settings
 */
async function onIdentify(event, settings) {
  return postToWebhook(
    {
      type: 'identify',
      userId: event.userId || null,
      anonymousId: event.anonymousId || null,
      traits: event.traits || {},
      timestamp: event.timestamp,
      messageId: event.messageId
    },
    settings
  );
}
