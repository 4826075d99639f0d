/**
 * Which setting names look like they hold a secret, for settings that come without a
 * schema saying so (a bare handler.js run with `--settings`, or a key function.json does
 * not declare). Masking a harmless value by mistake costs little; printing an API key in a
 * CI log costs a lot, so the test errs towards masking.
 */

/** Words that mark a secret when they appear as a whole word of the name (apiKey, auth_token). */
const SECRET_WORDS = new Set([
  'key', 'keys', 'token', 'tokens', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'pwd', 'pass',
  'passphrase', 'auth', 'authorization', 'credential', 'credentials', 'private', 'signature', 'bearer',
  'cookie', 'dsn',
]);

/** Fragments that mark a secret anywhere in the name, even run together (apitoken, clientsecret). */
const SECRET_FRAGMENTS = ['token', 'secret', 'password', 'passwd', 'credential', 'apikey', 'accesskey', 'privatekey', 'authorization'];

export function looksSecret(name: string): boolean {
  const lower = name.toLowerCase();
  if (SECRET_FRAGMENTS.some((fragment) => lower.includes(fragment))) return true;
  return words(name).some((word) => SECRET_WORDS.has(word));
}

/** `apiKey` → [api, key]; `AUTH_TOKEN` → [auth, token]; `x-api-key` → [x, api, key]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}
