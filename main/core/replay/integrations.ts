/**
 * The integrations object: Segment does not deliver an event to a destination the event
 * disables, either by name (`"My Function (My Workspace)": false`) or with `All: false`
 * without enabling it by name. A destination function's name there is
 * `"<Display Name> (<Workspace Name>)"`, case sensitive.
 */

/** True when the event's `integrations` keeps it from `destinationName`. */
export function disabledByIntegrations(event: Record<string, unknown>, destinationName: string): boolean {
  const integrations = event.integrations;
  // Delete events carry `[]`; anything but an object leaves delivery alone.
  if (typeof integrations !== 'object' || integrations === null || Array.isArray(integrations)) return false;
  const flags = integrations as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(flags, destinationName)) {
    // `true` or an options object enables; only an explicit false disables.
    return flags[destinationName] === false;
  }
  return flags.All === false;
}
