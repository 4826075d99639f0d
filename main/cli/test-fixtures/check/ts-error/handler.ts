interface Order {
  id: string;
  total: number;
}

async function onTrack(event, settings) {
  const order: Order = { id: event.messageId ?? 'none', total: event.properties?.total };
  const count: number = settings.endpoint;
  await fetch(settings.endpoint, { method: 'POST', body: JSON.stringify({ order, count }) });
}
