async function onTrack(event, settings) {
  const response = await fetch(settings.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: event.event, userId: event.userId, total: event.properties.total })
  });
  if (response.status >= 500) throw new RetryError(`Webhook answered ${response.status}`);
  console.log(`sent ${event.event}`);
  return { status: response.status };
}

async function onIdentify(event) {
  if (!event.traits || !event.traits.email) throw new ValidationError('email is missing');
  return { ok: true };
}
