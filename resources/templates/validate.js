// Check events before sending them; reject the bad ones.
// InvalidEventPayload and ValidationError show up as "Message Rejected" and are never
// retried, so reject only what can never succeed.

/**
 * @param {SegmentTrackEvent} event
 * @param {FunctionSettings} settings
 */
async function onTrack(event, settings) {
  if (!event.userId && !event.anonymousId) {
    throw new InvalidEventPayload('The event needs a userId or an anonymousId');
  }
  if (typeof event.event !== 'string' || event.event.trim() === '') {
    throw new InvalidEventPayload('Track events need an event name');
  }

  const properties = event.properties || {};
  if (event.event === 'Order Completed') {
    if (typeof properties.revenue !== 'number' || properties.revenue < 0) {
      throw new ValidationError('Order Completed needs a non-negative numeric revenue');
    }
    if (!Array.isArray(properties.products) || properties.products.length === 0) {
      throw new ValidationError('Order Completed needs at least one product');
    }
  }

  console.log(`Valid ${event.event} from ${event.userId || event.anonymousId}`);
  return { accepted: true, event: event.event };
}

/**
 * @param {SegmentIdentifyEvent} event
 * @param {FunctionSettings} settings
 */
async function onIdentify(event, settings) {
  if (!event.userId) {
    throw new InvalidEventPayload('Identify events need a userId');
  }
  const email = event.traits && event.traits.email;
  if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new ValidationError(`Invalid email trait: ${email}`);
  }
  return { accepted: true, userId: event.userId };
}
