interface Order {
  id: string;
  total: number;
}

type Total = number;

async function onTrack(event: SegmentTrackEvent, settings: FunctionSettings): Promise<Order> {
  const total: Total = event.properties.total;
  if (total < 0) throw new ValidationError(`negative total ${total}`);
  return { id: event.messageId ?? 'none', total };
}
