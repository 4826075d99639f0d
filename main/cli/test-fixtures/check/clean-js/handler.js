async function onTrack(event, settings) {
  const response = await fetch(settings.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(settings.headers ?? {}) },
    body: JSON.stringify({ event: event.event, userId: event.userId }),
  });
  if (response.status >= 500) throw new RetryError(`status ${response.status}`);
  return response.json();
}
