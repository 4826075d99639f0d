import { describe, expect, it } from 'vitest';
import { runtimeProcessEnv } from './env';

describe('runtimeProcessEnv', () => {
  it('passes locale and time zone only, never credentials or Node options, and sets the malloc arenas', () => {
    const env = runtimeProcessEnv({
      TZ: 'Europe/Berlin',
      LANG: 'de_DE.UTF-8',
      AWS_ACCESS_KEY_ID: 'AKIA...',
      AWS_SECRET_ACCESS_KEY: 'secret',
      GITHUB_TOKEN: 'ghp_x',
      NODE_OPTIONS: '--require /tmp/evil.js',
      ELECTRON_RUN_AS_NODE: '1',
      HOME: '/home/me',
      PATH: '/usr/bin',
      MALLOC_ARENA_MAX: '64',
    });
    expect(env).toEqual({ TZ: 'Europe/Berlin', LANG: 'de_DE.UTF-8', MALLOC_ARENA_MAX: '2' });
  });
});
