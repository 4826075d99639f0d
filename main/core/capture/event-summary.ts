/** A short human name for a captured event, for one-line listings: `track "Order Completed"`. */
import type { JsonObject } from './delivered-event';

export function describeEvent(event: JsonObject): string {
  const type = typeof event.type === 'string' ? event.type : '?';
  const who = typeof event.userId === 'string' || typeof event.userId === 'number' ? `user ${event.userId}` : typeof event.anonymousId === 'string' ? `anon ${event.anonymousId}` : '';
  let what = '';
  if (type === 'track' && typeof event.event === 'string') what = JSON.stringify(event.event);
  else if ((type === 'page' || type === 'screen') && typeof event.name === 'string') what = JSON.stringify(event.name);
  else if (type === 'group' && (typeof event.groupId === 'string' || typeof event.groupId === 'number')) what = `group ${event.groupId}`;
  else if (type === 'alias' && typeof event.previousId === 'string') what = `from ${event.previousId}`;
  return [type, what, who && `(${who})`].filter((part) => part !== '').join(' ');
}
