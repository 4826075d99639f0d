async function onTrack(event, settings) {
  return fetch(settings.endpoint, {
    headers: { Authorization: `Bearer ${settings.apiToken}` },
  });
}
