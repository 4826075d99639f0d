/**
 * What a template shows, read from its code for the gallery: the handlers it declares, the
 * Segment error classes it throws, whether it calls out with fetch, and the settings it reads.
 */
const ERROR_CLASSES = ['RetryError', 'ValidationError', 'InvalidEventPayload', 'EventNotSupported', 'DropEvent'];

export interface TemplateFeatures {
  handlers: string[];
  errors: string[];
  usesFetch: boolean;
  settings: string[];
}

export function templateFeatures(code: string): TemplateFeatures {
  const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const unique = (items: string[]) => [...new Set(items)];
  return {
    handlers: unique([...withoutComments.matchAll(/^\s*(?:async\s+)?function\s+(on[A-Z][A-Za-z]*)\s*\(/gm)].map((m) => m[1])),
    errors: ERROR_CLASSES.filter((name) => new RegExp(`\\bnew\\s+${name}\\b`).test(withoutComments)),
    usesFetch: /\bfetch\s*\(/.test(withoutComments),
    settings: unique([...withoutComments.matchAll(/\bsettings\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1])),
  };
}

/** One line for a gallery card, e.g. "onTrack, onIdentify · fetch · throws RetryError · settings: apiKey". */
export function featuresLine(f: TemplateFeatures): string {
  const parts = [f.handlers.join(', ') || 'no handlers'];
  if (f.usesFetch) parts.push('fetch');
  if (f.errors.length > 0) parts.push(`throws ${f.errors.join(', ')}`);
  if (f.settings.length > 0) parts.push(`settings: ${f.settings.join(', ')}`);
  return parts.join(' · ');
}
