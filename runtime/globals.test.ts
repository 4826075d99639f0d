import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import type { MockRule } from '../common/mock';
import { FORBIDDEN_GLOBALS, SEGMENT_GLOBALS } from './globals-list';
import { JS_BUILTINS, request, startTestServer, TRACK, type TestServer } from './test-support';

let runtime: Runtime;
let server: TestServer;
beforeAll(async () => {
  runtime = createRuntime({ workers: 2 });
  server = await startTestServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/oauth/token') {
      res.end(JSON.stringify({ access_token: 'at-1', refresh_token: 'rt-1', expires_in: 3600 }));
      return;
    }
    res.end(JSON.stringify({ url: req.url, authorization: req.headers.authorization ?? null, body: req.body }));
  });
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

async function run(body: string, extra = {}) {
  const outcome = await runtime.invoke({ ...request(`async function onTrack(event, settings) {\n${body}\n}`, TRACK), ...extra });
  if (outcome.error) throw new Error(`${outcome.error.name}: ${outcome.error.message}\n${outcome.error.stack}`);
  return outcome.result;
}

/** Runs AWS code offline against mock rules (the SDK loads lazily: allow it time). */
function runAws(code: string, mockRules: MockRule[]) {
  return runtime.invoke(request(code, TRACK, { timeoutMs: 20000, network: { offline: true, mockRules } }));
}

describe('globals', () => {
  it('are exactly Segment\'s set beyond JS built-ins (plus the throwing require)', async () => {
    // Node's other names (process, module, …) are absent; only code that reads them gets an
    // accessor that explains why (see free-variables.test.ts).
    const names = (await run('return Object.getOwnPropertyNames(globalThis)')) as string[];
    const extra = names.filter((name) => !JS_BUILTINS.has(name)).sort();
    expect(extra).toEqual([...SEGMENT_GLOBALS, 'require'].sort());
    for (const name of FORBIDDEN_GLOBALS.filter((n) => n !== 'require')) expect(names).not.toContain(name);
    for (const name of ['harden', 'lockdown', 'Compartment', 'global']) expect(names).not.toContain(name);
  });

  it('say clearly that functions cannot import dependencies', async () => {
    const requireOutcome = await runtime.invoke(request('async function onTrack() { require("lodash") }', TRACK));
    expect(requireOutcome.error?.message).toMatch(/require\("lodash"\) is not available: functions cannot import dependencies/);
    const processOutcome = await runtime.invoke(request('async function onTrack() { return process.env }', TRACK));
    expect(processOutcome.error).toMatchObject({ name: 'ReferenceError' });
    expect(processOutcome.error?.message).toMatch(/process is not defined: functions cannot import dependencies/);
    const moduleOutcome = await runtime.invoke(request('module.exports = {}\nasync function onTrack() {}', TRACK));
    expect(moduleOutcome.error?.message).toMatch(/module is not defined: functions cannot import dependencies/);
    const importOutcome = await runtime.invoke(request('async function onTrack() {\n  const m = await import("fs");\n}', TRACK));
    expect(importOutcome.error?.message).toMatch(/import\(\) is not available: functions cannot import dependencies/);
    expect(importOutcome.error?.frames[0]).toMatchObject({ line: 2 });
    const staticImport = await runtime.invoke(request('import fs from "fs";\nasync function onTrack() {}', TRACK));
    expect(staticImport.error?.message).toMatch(/functions cannot import dependencies/);
    expect(staticImport.error?.frames[0]).toMatchObject({ line: 1 });
  });

  it('accept real code mentioning <!--, import( and eval( in strings and comments', async () => {
    const result = await run(`
      // evaluate: eval(x) and import("y") in a comment, <!-- too -->
      const html = '<!-- banner --><p>import(stuff)</p>';
      let i = 2; while (i-->0) {}
      return [html, 'eval(' + 1 + ')', i];`);
    expect(result).toEqual(['<!-- banner --><p>import(stuff)</p>', 'eval(1)', -1]);
  });

  it('can be reassigned by a script, as in Node; new globals may be added', async () => {
    const code = `const realFetch = fetch;
let calls = 0;
fetch = async (url, init) => { calls++; return realFetch(url, init); };
async function onTrack() {
  globalThis.mine = 1;
  const res = await fetch('https://api.example.com/x');
  _ = { wrapped: true };
  return [res.status, calls, typeof mine, _.wrapped, typeof JSON.stringify];
}`;
    const network = { offline: true, mockRules: [{ url: 'https://api.example.com/*', status: 201 }] };
    const fn = request(code, TRACK, { network });
    expect((await runtime.invoke(fn)).result).toEqual([201, 1, 'number', true, 'function']);
    // the reassignment lasts while the instance is warm, as module state does on Segment
    expect((await runtime.invoke(fn)).result).toEqual([201, 2, 'number', true, 'function']);
    // another function keeps its own, untouched globals
    expect((await runtime.invoke(request('async function onTrack() { return [typeof _.chunk, typeof fetch] }', TRACK))).result).toEqual(['function', 'function']);
  });

  it("reports a script's own constant reassigned exactly as Node does", async () => {
    const outcome = await runtime.invoke(request('const limit = 1;\nasync function onTrack() { limit = 2 }', TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error).toMatchObject({ name: 'TypeError', message: 'Assignment to constant variable.' });
    expect(outcome.error?.frames[0]).toMatchObject({ functionName: 'onTrack', line: 2 });
  });

  it('expose only the documented API on the fetch classes', async () => {
    const result = await run('return [Headers, Request, Response].map((C) => Object.getOwnPropertyNames(C).sort())');
    expect(result).toEqual([['length', 'name', 'prototype'], ['length', 'name', 'prototype'], ['length', 'name', 'prototype']]);
  });

  it('provide working Date, Math.random and Intl', async () => {
    const result = (await run(`return [typeof Date.now(), new Date(0).toISOString(), Math.random() < 1, new Intl.NumberFormat('en-US').format(1234.5)]`)) as unknown[];
    expect(result).toEqual(['number', '1970-01-01T00:00:00.000Z', true, '1,234.5']);
  });

  it('provide lodash 4.17 including templates', async () => {
    const result = await run(`
      const r = [_.VERSION, _.get({ a: { b: 2 } }, 'a.b'), _.chunk([1, 2, 3], 2),
        _.template('<%= obj.x %>-<%- y %>', { variable: undefined })({ x: 1, y: '<b>' }), _.template('v=<%= v %>', { variable: 'd' }).source.includes('function(d)')];
      _.templateSettings.interpolate = /{{([\\s\\S]+?)}}/g;
      return [...r, _.template('hi {{ name }}')({ name: 'ann' })];`);
    expect(result).toEqual(['4.17.21', 2, [[1, 2], [3]], '1-&lt;b&gt;', true, 'hi ann']);
  });

  it("answer lodash's string functions exactly as lodash does, first call or repeated, whatever the arguments", async () => {
    const names = ['camelCase', 'capitalize', 'deburr', 'escape', 'escapeRegExp', 'kebabCase', 'lowerCase', 'lowerFirst', 'snakeCase', 'startCase', 'unescape', 'upperCase', 'upperFirst', 'trim', 'trimEnd', 'trimStart', 'words'];
    const inputs = ['anonymousId', '  Intro to Analytics  ', 'déjà vu Crème-brûlée', 'XMLHttpRequest2', '<a href="x">&amp;</a>', 'foo_bar-baz qux', '', 'x'.repeat(65), 'y'.repeat(64), '__proto__', 'constructor'];
    const result = (await run(`
      const names = ${JSON.stringify(names)};
      const inputs = ${JSON.stringify(inputs)};
      const once = names.map((name) => inputs.map((input) => _[name](input)));
      const again = names.map((name) => inputs.map((input) => _[name](input)));
      let toStringCalls = 0;
      const counted = { toString() { toStringCalls++; return 'fooBar' } };
      const objects = [_.snakeCase(counted), _.snakeCase(counted)];
      return {
        once, same: JSON.stringify(once) === JSON.stringify(again),
        objects, toStringCalls,
        withChars: [_.trim('--x--', '-'), _.trim('--x--'), _.trimStart('__y', '_'), _.trimEnd('z!!', '!')],
        asIteratee: _.map(['fooBar', 'fooBar'], _.snakeCase).concat(_.map([' a ', ' a '], _.trim)),
        chained: _('fooBar').snakeCase(), wordsArrays: _.words('a b') !== _.words('a b'),
        shape: names.map((name) => [_[name].name, _[name].length]),
      };`)) as Record<string, unknown>;
    const lodash = (await import('lodash')).default as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(result.once).toEqual(names.map((name) => inputs.map((input) => lodash[name](input))));
    expect(result.same).toBe(true);
    // a non-string argument is converted by lodash each time (its toString may differ per call)
    expect(result.objects).toEqual(['foo_bar', 'foo_bar']);
    expect(result.toStringCalls).toBe(2);
    expect(result.withChars).toEqual(['x', '--x--', 'y', 'z']);
    expect(result.asIteratee).toEqual(['foo_bar', 'foo_bar', 'a', 'a']);
    expect(result.chained).toBe('foo_bar');
    expect(result.wordsArrays).toBe(true);
    expect(result.shape).toEqual(names.map((name) => [lodash[name].name, lodash[name].length]));
  });

  it('provide URL, URLSearchParams, Buffer, atob, btoa, xml and crypto', async () => {
    const result = await run(`
      const u = new URL('https://api.example.com/v1?x=1'); u.searchParams.append('y', '2');
      const key = crypto.randomBytes(32), iv = crypto.randomBytes(16);
      const c = crypto.createCipheriv('aes-256-cbc', key, iv); const enc = Buffer.concat([c.update('secret'), c.final()]);
      const d = crypto.createDecipheriv('aes-256-cbc', key, iv); const dec = d.update(enc, undefined, 'utf8') + d.final('utf8');
      return [u.href, new URLSearchParams({ a: 'b c' }).toString(), Buffer.from('hi').toString('hex'), Buffer.allocUnsafe(8).every((b) => b === 0),
        btoa('hello'), atob('aGVsbG8='), xml({ a: [{ _attr: { id: 1 } }, 'text'] }),
        crypto.createHash('md5').update('x').digest('hex'), crypto.createHmac('sha256', 'k').update('m').digest('base64'), dec, typeof crypto.randomUUID()];`);
    expect(result).toEqual([
      'https://api.example.com/v1?x=1&y=2',
      'a=b+c',
      '6869',
      true,
      'aGVsbG8=',
      'hello',
      '<a id="1">text</a>',
      '9dd4e461268c8034f5c8564e155c67a6',
      createHmac('sha256', 'k').update('m').digest('base64'),
      'secret',
      'string',
    ]);
  });

  it('sign with crypto.createSign and verify', async () => {
    const result = await run(`
      const { privateKey, publicKey } = settings.keys;
      const sig = crypto.createSign('RSA-SHA256').update('payload').sign(privateKey, 'base64');
      return crypto.createVerify('RSA-SHA256').update('payload').verify(publicKey, sig, 'base64');`, {
      settings: { keys: await rsaPair() },
    });
    expect(result).toBe(true);
  });

  it('provide OAuth 1.0a signing and OAuth2 requests through the sandbox network', async () => {
    const outcome = await runtime.invoke({
      ...request(`async function onTrack(event, settings) {
        const o1 = new OAuth.OAuth(null, null, 'ck', 'cs', '1.0A', null, 'HMAC-SHA1');
        const header = o1.authHeader('https://api.example.com/r', 'tok', 'sec', 'GET');
        const o2 = new OAuth.OAuth2('id', 'secret', settings.url, null, '/oauth/token');
        const token = await new Promise((resolve, reject) => o2.getOAuthAccessToken('code', { grant_type: 'authorization_code' }, (err, at, rt, results) => err ? reject(err) : resolve([at, rt, results.expires_in])));
        const data = await new Promise((resolve, reject) => o2.get(settings.url + '/me', 'at-1', (err, body, res) => err ? reject(new Error(JSON.stringify(err))) : resolve([JSON.parse(body), res.statusCode])));
        return [header.startsWith('OAuth '), /oauth_signature="/.test(header), token, data];
      }`, TRACK),
      settings: { url: server.url },
    });
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual([true, true, ['at-1', 'rt-1', 3600], [{ url: '/me?access_token=at-1', authorization: null, body: '' }, 200]]);
    expect(outcome.requests.map((r) => r.url)).toEqual([`${server.url}/oauth/token`, `${server.url}/me?access_token=at-1`]);
  });
});

describe('AWS (lazy aws-sdk v2)', () => {
  it('calls a service through mock rules, with explicit credentials only', async () => {
    const outcome = await runAws(
      `async function onTrack(event) {
          const sqs = new AWS.SQS({ region: 'us-east-1', computeChecksums: false, credentials: { accessKeyId: 'AKIA_TEST', secretAccessKey: 'secret' } });
          const sent = await sqs.sendMessage({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: JSON.stringify(event) }).promise();
          return sent;
        }`,
      [
              {
                url: 'https://sqs.us-east-1.amazonaws.com/*',
                headers: { 'content-type': 'application/x-amz-json-1.0' },
                body: { MessageId: 'm-1', MD5OfMessageBody: 'x' },
              },
            ],
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toMatchObject({ MessageId: 'm-1' });
    expect(outcome.requests).toHaveLength(1);
    expect(outcome.requests[0]).toMatchObject({ method: 'POST', mocked: true });
    expect(outcome.requests[0].headers.authorization).toMatch(/AKIA_TEST/);
  }, 30_000);

  it('applies AWS.config.update and offers DynamoDB.DocumentClient', async () => {
    const outcome = await runAws(
      `async function onTrack() {
          AWS.config.update({ region: 'eu-west-1', accessKeyId: 'AKIA_CFG', secretAccessKey: 's' });
          const db = new AWS.DynamoDB.DocumentClient();
          const got = await db.get({ TableName: 't', Key: { id: 'u1' } }).promise();
          return got.Item;
        }`,
      [{ url: 'https://dynamodb.eu-west-1.amazonaws.com/*', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: { Item: { id: { S: 'u1' }, visits: { N: '3' } } } }],
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({ id: 'u1', visits: 3 });
    expect(outcome.requests[0].headers.authorization).toMatch(/AKIA_CFG\/\d+\/eu-west-1\/dynamodb/);
  }, 30_000);

  it("keeps DocumentClient sets as sets (SS/NS) both ways, with the SDK's shape and checks", async () => {
    const outcome = await runAws(
      `async function onTrack() {
          const db = new AWS.DynamoDB.DocumentClient({ region: 'us-east-1', accessKeyId: 'AKIA_SET', secretAccessKey: 's' });
          const tags = db.createSet(['a', 'b']);
          tags.values.push('c');
          await db.put({ TableName: 't', Item: { id: 'u1', tags, scores: db.createSet([1, 2]), list: ['x'] } }).promise();
          const got = (await db.get({ TableName: 't', Key: { id: 'u1' } }).promise()).Item;
          const errors = [];
          for (const make of [() => db.createSet([{}]), () => db.createSet(['a', 1], { validate: true })]) {
            try { make(); } catch (e) { errors.push(e.name + ': ' + e.message); }
          }
          return {
            made: [tags.wrapperName, tags.type, JSON.stringify(tags), db.createSet('one').values, db.createSet(['a', 1]).type],
            read: [got.tags.wrapperName, got.tags.type, got.tags.values, JSON.stringify(got.tags), got.nums.type, got.nums.values],
            errors,
          };
        }`,
      [
              { method: 'POST', url: 'https://dynamodb.us-east-1.amazonaws.com/*', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: { Item: { id: { S: 'u1' }, tags: { SS: ['x', 'y'] }, nums: { NS: ['3', '4.5'] } } } },
            ],
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({
      made: ['Set', 'String', '["a","b","c"]', ['one'], 'String'],
      read: ['Set', 'String', ['x', 'y'], '["x","y"]', 'Number', [3, 4.5]],
      errors: ['InvalidSetType: Sets can contain string, number, or binary values', 'InvalidSetType: String Set contains Number value'],
    });
    const put = JSON.parse(outcome.requests[0].body ?? '{}') as { Item: Record<string, unknown> };
    expect(put.Item).toEqual({ id: { S: 'u1' }, tags: { SS: ['a', 'b', 'c'] }, scores: { NS: ['1', '2'] }, list: { L: [{ S: 'x' }] } });
  }, 30_000);

  it('hands the SDK binary params as bytes (S3 Body, Kinesis Data, DynamoDB B/BS) and refuses a cycle with a rejection', async () => {
    const outcome = await runAws(
      `async function onTrack() {
          const creds = { region: 'us-east-1', accessKeyId: 'AKIA_BIN', secretAccessKey: 's' };
          await new AWS.S3(creds).putObject({ Bucket: 'b', Key: 'k', Body: Buffer.from([0xde, 0xad, 0xbe, 0xef]), Expires: new Date(0) }).promise();
          await new AWS.Kinesis(creds).putRecord({ StreamName: 's', PartitionKey: 'p', Data: new TextEncoder().encode('hello') }).promise();
          const db = new AWS.DynamoDB.DocumentClient(creds);
          await db.put({ TableName: 't', Item: { id: 'x', bin: Buffer.from('hi'), bins: db.createSet([Buffer.from('a'), Buffer.from('b')]) } }).promise();
          const cyclic = { TableName: 't' }; cyclic.Item = { self: cyclic };
          const rejected = await db.put(cyclic).promise().then(() => 'resolved', (e) => e.name + ': ' + e.message);
          const viaCallback = await new Promise((resolve) => db.put(cyclic, (err, data) => resolve([err && err.message, data])));
          return { rejected, viaCallback };
        }`,
      [
              { url: 'https://s3.amazonaws.com/*', body: '' },
              { url: 'https://*.amazonaws.com/*', headers: { 'content-type': 'application/x-amz-json-1.1' }, body: {} },
            ],
    );
    expect(outcome.error).toBeNull();
    expect(outcome.result).toEqual({
      rejected: 'TypeError: AWS params cannot contain a cycle (at params.Item.self)',
      viaCallback: ['AWS params cannot contain a cycle (at params.Item.self)', null],
    });
    const [s3, kinesis, dynamo] = outcome.requests;
    expect(s3).toMatchObject({ method: 'PUT', url: 'https://s3.amazonaws.com/b/k', body: '[binary 4 bytes]' });
    expect(s3.headers['content-length']).toBe('4');
    expect(s3.headers.expires).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(JSON.parse(kinesis.body ?? '')).toEqual({ StreamName: 's', PartitionKey: 'p', Data: Buffer.from('hello').toString('base64') });
    expect(JSON.parse(dynamo.body ?? '').Item).toEqual({ id: { S: 'x' }, bin: { B: Buffer.from('hi').toString('base64') }, bins: { BS: ['YQ==', 'Yg=='] } });
  }, 30_000);

  it('has no credentials unless the function provides them', async () => {
    const outcome = await runAws(`async function onTrack() { await new AWS.S3({ region: 'us-east-1', maxRetries: 0 }).listBuckets().promise() }`, []);
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.message).toMatch(/credentials|blocked \(offline\)/i);
    expect(outcome.requests.every((r) => !r.headers.authorization)).toBe(true);
  }, 30_000);
});

async function rsaPair(): Promise<{ privateKey: string; publicKey: string }> {
  const { generateKeyPairSync } = await import('node:crypto');
  return generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
