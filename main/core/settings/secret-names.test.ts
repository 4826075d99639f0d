import { describe, it, expect } from 'vitest';
import { looksSecret } from './secret-names';

describe('looksSecret', () => {
  it('flags the names secrets usually have, in any case style', () => {
    for (const name of ['apiKey', 'api_key', 'API_KEY', 'x-api-key', 'token', 'accessToken', 'authToken', 'clientSecret', 'password', 'dbPasswd', 'pwd', 'auth', 'basicAuth', 'credentials', 'privateKey', 'apitoken', 'clientsecret', 'webhookSignature', 'sentryDsn', 'sessionCookie', 'AWSSecretAccessKey', 'stripeKey']) {
      expect(looksSecret(name), name).toBe(true);
    }
  });

  it('leaves ordinary names alone, including words that merely contain "key" or "auth"', () => {
    for (const name of ['endpoint', 'region', 'url', 'monkey', 'author', 'authorName', 'turkey', 'keyboardLayout', 'batchSize', 'userId', 'passenger', 'compass']) {
      expect(looksSecret(name), name).toBe(false);
    }
  });
});
