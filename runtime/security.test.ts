/**
 * Hostile function code against the real sandbox (real workers). Every attack runs
 * inside a handler; a prelude gives it `attempt(label, getter)`, which records
 * "ESCAPED via <label>" when the getter yields a Function constructor that evaluates in
 * the HOST realm (one whose code can see `process`). Each test asserts no finding, a
 * safe outcome, and that the worker still serves the next invocation correctly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from './index';
import type { Runtime } from './api';
import { SEGMENT_GLOBALS } from './globals-list';
import { request, TRACK } from './test-support';
import type { Outcome } from '../common/outcome';
import type { NetworkOptions } from '../common/mock';

const PRELUDE = `
const PROBE = 'try { return typeof process === "object" && process !== null && typeof process.pid === "number" ? process.pid : null } catch (e) { return null }';
const findings = [];
function hostCtor(F) {
  try { return typeof F === 'function' && F(PROBE)() !== null && F(PROBE)() !== undefined; } catch (e) { return false; }
}
function attempt(label, get) {
  try {
    const F = get();
    if (hostCtor(F)) findings.push('ESCAPED via ' + label);
    if (F && (typeof F === 'object' || typeof F === 'function')) {
      try { if (F.process || F.require || (F.env && F.env.PATH)) findings.push('HOST OBJECT via ' + label); } catch (e) {}
    }
  } catch (e) {}
}
function routes(label, obj) {
  if (obj === null || obj === undefined) return;
  attempt(label + '.constructor.constructor', () => obj.constructor.constructor);
  attempt(label + '.constructor', () => obj.constructor);
  let p = obj;
  for (let i = 0; i < 8 && p; i++) {
    const level = i;
    attempt(label + ' proto[' + level + '].constructor', () => p.constructor);
    attempt(label + ' proto[' + level + '].constructor.constructor', () => p.constructor.constructor);
    try { p = Object.getPrototypeOf(p); } catch (e) { p = null; }
  }
  let names = [];
  try { names = Reflect.ownKeys(obj); } catch (e) {}
  for (const key of names) {
    let value;
    try { value = obj[key]; } catch (e) { continue; }
    if (typeof value === 'function') {
      attempt(label + '.' + String(key) + '.constructor', () => value.constructor);
      attempt(label + '.' + String(key) + '.__proto__.constructor', () => Object.getPrototypeOf(value).constructor);
    }
    if (value && typeof value === 'object') {
      attempt(label + '.' + String(key) + '.constructor.constructor', () => value.constructor.constructor);
    }
  }
}
`;

let runtime: Runtime;
beforeAll(() => {
  runtime = createRuntime({ workers: 2 });
});
afterAll(async () => {
  await runtime.close();
});

const MOCKS: NetworkOptions = {
  offline: true,
  mockRules: [
    { url: 'https://api.example.com/*', body: { ok: true, nested: { list: [1, 2] } }, headers: { 'x-a': 'b' } },
    { url: 'https://sqs.us-east-1.amazonaws.com/*', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: { MessageId: 'm' } },
  ],
};

async function attack(body: string, timeoutMs = 10_000): Promise<Outcome> {
  const code = `${PRELUDE}\nasync function onTrack(event, settings) {\n${body}\nreturn findings;\n}`;
  return runtime.invoke(request(code, TRACK, { network: MOCKS, timeoutMs }));
}

function expectSafe(outcome: Outcome): void {
  const findings = JSON.stringify(outcome.result) + JSON.stringify(outcome.logs) + (outcome.error?.message ?? '');
  expect(findings).not.toMatch(/ESCAPED|HOST OBJECT/);
  expect(outcome.error?.name).not.toBe('RuntimeError');
}

async function expectHealthy(): Promise<void> {
  const outcome = await runtime.invoke(request('async function onTrack() { return [({}).polluted, [].polluted, typeof Buffer.from("a").toString(), Buffer.from("a").toString()] }', TRACK));
  expect(outcome.result).toEqual([null, null, 'string', 'a']);
}

describe('the attack harness', () => {
  it('does detect a host Function constructor when one is reachable', () => {
    // Outside the sandbox, the global Function IS the host's: the detector must flag it.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the harness must run outside the sandbox, as host code
    const findings = new Function(`${PRELUDE}\nattempt('host Function', () => Function); routes('host object', {}); return findings;`)() as string[];
    expect(findings).toContain('ESCAPED via host Function');
    expect(findings).toContain('ESCAPED via host object.constructor.constructor');
  });
});

describe('no host Function constructor through any endowment', () => {
  it('walks every global and its prototype chain', async () => {
    const outcome = await attack(`
      for (const name of ${JSON.stringify(SEGMENT_GLOBALS.filter((n) => n !== 'AWS'))}) routes(name, globalThis[name]);
      for (const name of ['Function', 'Object', 'Date', 'Math', 'Intl', 'Promise', 'Error', 'eval']) routes(name, globalThis[name]);
      attempt('async fn', () => (async function () {}).constructor);
      attempt('generator', () => (function* () {}).constructor);
      attempt('async generator', () => (async function* () {}).constructor);
      attempt('Function.prototype.constructor', () => Function.prototype.constructor);
      attempt('eval this', () => (0, eval)('this').constructor.constructor);
      attempt('new Function this', () => new Function('return this')());`);
    expect(outcome.error).toBeNull();
    expectSafe(outcome);
    expect(Array.isArray(outcome.result)).toBe(true);
  });

  it('through fetch results: responses, headers, bodies, errors', async () => {
    const outcome = await attack(`
      const res = await fetch('https://api.example.com/x');
      routes('response', res); routes('headers', res.headers); routes('clone', res.clone());
      routes('json', await res.clone().json()); routes('buffer', await res.clone().buffer()); routes('arrayBuffer', await res.clone().arrayBuffer());
      routes('raw', res.headers.raw()); routes('entries', res.headers.entries());
      res.headers.forEach(function (value, name, headers) { routes('forEach this', this); routes('forEach headers', headers); }, undefined);
      try { await fetch('https://blocked.example.com/'); } catch (e) { routes('fetch error', e); }
      try { await (await fetch('https://api.example.com/x', { method: 'POST', body: 'x' })).text().then(() => res.text()); } catch (e) { routes('body used error', e); }
      try { new Headers({ 'bad name': 'x' }); } catch (e) { routes('header error', e); }
      routes('request', new Request('https://api.example.com/', { method: 'POST', body: 'b' }));
      routes('promise', fetch('https://api.example.com/y'));`);
    expectSafe(outcome);
    expect(outcome.error).toBeNull();
  });

  it('through Buffer, crypto, console, cache, timers, URL, FormData, xml, atob/btoa, OAuth', async () => {
    const outcome = await attack(`
      routes('buffer', Buffer.from('abc')); routes('buffer.buffer', Buffer.from('abc').buffer);
      routes('hash', crypto.createHash('sha256')); routes('hmac', crypto.createHmac('sha256', 'k'));
      routes('cipher', crypto.createCipheriv('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16)));
      routes('sign', crypto.createSign('RSA-SHA256')); routes('random', crypto.randomBytes(4));
      try { crypto.createHash('no-such-hash'); } catch (e) { routes('crypto error', e); }
      routes('cache promise', cache.load('k', 1000, async () => ({ v: 1 }))); routes('cache value', await cache.load('k', 1000, async () => 1));
      routes('timer id', setTimeout(() => {}, 1)); routes('url', new URL('https://a.example/')); routes('search', new URLSearchParams('a=1'));
      const form = new FormData(); form.append('a', 'b'); routes('form', form); routes('form headers', form.getHeaders());
      routes('xml', xml({ a: 1 })); try { xml({ a: 1 }, { stream: true }); } catch (e) { routes('xml error', e); }
      routes('oauth', new OAuth.OAuth('a', 'b', 'c', 'd', '1.0', null, 'HMAC-SHA1')); routes('oauth2', new OAuth.OAuth2('a', 'b', 'https://x.example'));
      try { atob(); } catch (e) { routes('atob error', e); }`);
    expectSafe(outcome);
    expect(outcome.error).toBeNull();
  });

  it('through console formatting (custom inspectors never receive host functions)', async () => {
    const outcome = await attack(`
      let called = false;
      const evil = { [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
        called = true; routes('inspect', inspect); routes('options', options); routes('stylize', options && options.stylize); return 'x'; } };
      console.log(evil); console.log('%o %O %j', evil, evil, evil); console.dir(evil); console.table([evil]);
      console.log(new Proxy({}, { get(t, k, r) { routes('proxy get args', t); routes('proxy receiver', r); return undefined; }, getPrototypeOf(t) { routes('proxy proto', t); return null; } }));
      if (called) findings.push('custom inspector was called');`);
    expectSafe(outcome);
    expect(outcome.result).toEqual([]);
  });

  it('through lodash, including template and runInContext', async () => {
    const outcome = await attack(`
      routes('_', _); routes('chain', _.chain([1])); routes('runInContext', _.runInContext());
      const P = PROBE.replace(/"/g, "'");
      const tries = [
        () => _.template('<%= constructor.constructor("' + P + '")() %>')({}),
        () => _.template('<% print(Function("' + P + '")()) %>')(),
        () => _.template('<%= this.constructor.constructor("' + P + '")() %>')(),
        () => _.template('x', { variable: 'a){return process.pid};(function(a' })(),
        () => _.template('x', { sourceURL: 'a\\nreturn process.pid' })(),
        () => _.template('<%= x %>', { imports: { 'a){return process.pid}//': 1 } })({ x: 1 }),
        () => _.runInContext().template('<%= Function("' + P + '")() %>')(),
        () => _.runInContext({ Function: function () { return () => 'fake' } }).template('<%= 1 %>')(),
        () => _.template('<%= obj.constructor.constructor("' + P + '")() %>')({}),
      ];
      for (const t of tries) { try { const r = t(); if (/^\\d+$/.test(String(r).trim()) && Number(r) > 0) findings.push('ESCAPED via template: ' + r); } catch (e) { routes('template error', e); } }
      try { _.mixin({ polluted: () => 1 }); } catch (e) {}
      attempt('_.template fn', () => _.template('x').constructor);`);
    expectSafe(outcome);
  });

  it('through AWS objects and configuration', async () => {
    const outcome = await attack(`
      routes('AWS.config', AWS.config);
      const sqs = new AWS.SQS({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        logger: { log: (m) => findings.push('logger got ' + typeof m) }, httpOptions: { agent: { addRequest() { findings.push('agent used') } } },
        credentialProvider: { resolve(cb) { findings.push('provider used') } } });
      routes('sqs', sqs); routes('AWS.SQS', AWS.SQS); routes('request', sqs.sendMessage({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'x' }));
      const data = await sqs.sendMessage({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: 'x' }).promise().catch((e) => { routes('aws error', e); return null; });
      routes('aws data', data);
      const s3 = new AWS.S3({ region: 'us-east-1', maxRetries: 0 });
      await s3.listBuckets().promise().catch((e) => routes('s3 error', e));
      routes('docclient', new AWS.DynamoDB.DocumentClient({ region: 'us-east-1' }));
      const set = new AWS.DynamoDB.DocumentClient({ region: 'us-east-1' }).createSet(['a']);
      routes('dynamodb set', set); routes('set prototype', Object.getPrototypeOf(set));
      try { Object.getPrototypeOf(set).toJSON = () => 'polluted'; } catch (e) {}
      if (JSON.stringify(new AWS.DynamoDB.DocumentClient({ region: 'us-east-1' }).createSet(['b'])) !== '["b"]') findings.push('set prototype changed');
      routes('credentials', new AWS.Credentials('a', 'b'));`, 30_000);
    expectSafe(outcome);
    expect(outcome.result).toEqual([]);
  }, 40_000);
});

describe('no host environment, files or processes', () => {
  it('cannot read the environment or files, or spawn processes', async () => {
    process.env.FNSTUDIO_SECRET_FOR_TEST = 'leak-me';
    const outcome = await attack(`
      const out = [];
      const tries = {
        env: () => process.env.FNSTUDIO_SECRET_FOR_TEST,
        globalProcess: () => globalThis.process.env,
        require: () => require('fs').readFileSync('/etc/passwd', 'utf8'),
        requireChild: () => require('child_process').execSync('id').toString(),
        module: () => module.constructor._load('fs'),
        mainModule: () => process.mainModule.require('fs'),
        binding: () => process.binding('fs'),
        dynamicImport: () => (0, eval)('import' + '("fs")'),
        functionImport: () => Function('return im' + 'port("fs")')(),
        dirname: () => __dirname,
        filename: () => __filename,
        global: () => global.process,
      };
      for (const [name, fn] of Object.entries(tries)) {
        try { const r = await fn(); if (r !== undefined && r !== null) out.push(name + ':' + String(r).slice(0, 40)); } catch (e) { out.push(name + ' blocked: ' + e.name); }
      }
      console.log(out.join('\\n'));
      if (out.some((line) => /leak-me|root:|uid=/.test(line))) findings.push('ESCAPED: host data read');`);
    delete process.env.FNSTUDIO_SECRET_FOR_TEST;
    expectSafe(outcome);
    const log = outcome.logs.map((l) => l.message).join('\n');
    expect(log).not.toMatch(/leak-me|root:|uid=/);
    expect(log).toMatch(/env blocked: ReferenceError/);
    expect(log).toMatch(/require blocked: ReferenceError/);
  });
});

describe('prototypes and shared state', () => {
  it('cannot change intrinsic or host prototypes, nor pollute another function', async () => {
    const polluter = await runtime.invoke(
      request(
        `async function onTrack() {
          const tries = [
            () => { Object.prototype.polluted = 1 }, () => { Array.prototype.polluted = 1 }, () => { Array.prototype.push = () => 0 },
            () => { JSON.parse = () => 'hijacked' }, () => { Date.now = () => 0 }, () => { Math.random = () => 0 },
            () => { Buffer.prototype.toString = () => 'hijacked' }, () => { Buffer.from = () => 'hijacked' }, () => { Buffer.poolSize = 8192 },
            () => { Headers.prototype.get = () => 'hijacked' }, () => { URL.prototype.toString = () => 'hijacked' },
            () => { URLSearchParams.prototype.toString = () => 'hijacked' }, () => { Response.prototype.json = () => 'hijacked' },
            () => { Object.getPrototypeOf(crypto.createHash('md5')).digest = () => 'hijacked' }, () => { console.log = () => {} },
            () => { Promise.prototype.then = () => 'hijacked' }, () => { Error.prototype.toString = () => 'hijacked' },
            () => { Object.getPrototypeOf(async function () {}).constructor.prototype.x = 1 }, () => { EventNotSupported.prototype.name = 'X' },
            () => { Intl.NumberFormat.prototype.format = () => 'hijacked' }, () => { String.prototype.trim = () => 'hijacked' },
            () => { Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'hijacked' }) },
            () => { Error.prepareStackTrace = () => 'hijacked' },
          ];
          const changed = [];
          tries.forEach((t, i) => { try { t(); changed.push(i); } catch (e) {} });
          return changed;
        }`,
        TRACK,
      ),
    );
    // Writes to the function's own globals (console, Error.prepareStackTrace on its
    // compartment) may succeed; none may reach shared objects:
    const victimOutcome = await runtime.invoke(
      request(
        `async function onTrack() {
          const res = await fetch('https://api.example.com/v');
          return [({}).polluted, [].polluted, [1].push(2), JSON.parse('1'), Date.now() > 0, Math.random() !== 0, Buffer.from('ok').toString(),
            new Headers({ a: 'b' }).get('a'), new URL('https://a.example/').toString(), new URLSearchParams('a=1').toString(),
            (await res.json()).ok, crypto.createHash('md5').update('').digest('hex'), typeof console.log, await Promise.resolve(5),
            String(new Error('e')), new EventNotSupported('x').name, new Intl.NumberFormat('en-US').format(1000), ' x '.trim(),
            JSON.stringify({ a: 1 })];
        }`,
        TRACK,
        { network: MOCKS },
      ),
    );
    expect(polluter.error).toBeNull();
    expect(victimOutcome.error).toBeNull();
    expect(victimOutcome.result).toEqual([
      null, null, 2, 1, true, true, 'ok', 'b', 'https://a.example/', 'a=1', true, 'd41d8cd98f00b204e9800998ecf8427e', 'function', 5,
      'Error: e', 'EventNotSupported', '1,000', 'x', '{"a":1}',
    ]);
  });

  it('Buffer hands out no pooled or uninitialised memory', async () => {
    const outcome = await runtime.invoke(
      request(
        `async function onTrack() {
          const a = Buffer.allocUnsafe(64), b = Buffer.allocUnsafeSlow(64), c = Buffer.from('xyz');
          return [a.every((x) => x === 0), b.every((x) => x === 0), a.buffer.byteLength, c.buffer.byteLength, Buffer.poolSize];
        }`,
        TRACK,
      ),
    );
    expect(outcome.result).toEqual([true, true, 64, 3, 0]);
  });
});

describe('error-stack tricks and hostile thrown values', () => {
  it('prepareStackTrace never receives host call sites', async () => {
    const outcome = await attack(`
      const seen = [];
      Error.prepareStackTrace = (error, frames) => {
        for (const f of frames || []) {
          try { const t = f.getThis && f.getThis(); if (t) { routes('frame this', t); seen.push('this'); } } catch (e) {}
          try { const fn = f.getFunction && f.getFunction(); if (fn) { attempt('frame fn', () => fn.constructor); routes('frame fn', fn); seen.push('fn'); } } catch (e) {}
          try { const fileName = f.getFileName && f.getFileName(); if (fileName && /node:|internal|out\\/runtime/.test(fileName)) seen.push('host file ' + fileName); } catch (e) {}
        }
        return 'custom';
      };
      try { crypto.createHash('nope'); } catch (e) { String(e.stack); }
      try { await fetch('https://blocked.example.com/'); } catch (e) { String(e.stack); }
      try { Buffer.from({ length: -1 }).readUInt8(5); } catch (e) { String(e.stack); }
      try { new URL('not a url'); } catch (e) { String(e.stack); }
      try { xml(null, { stream: true }); } catch (e) { String(e.stack); }
      Error.stackTraceLimit = Infinity;
      try { null.x; } catch (e) { String(e.stack); }
      if (typeof Error.captureStackTrace === 'function') { const o = {}; try { Error.captureStackTrace(o); String(o.stack); } catch (e) {} }
      console.log(seen.join(','));`);
    expectSafe(outcome);
    expect(outcome.logs.map((l) => l.message).join('')).not.toMatch(/host file|this|fn/);
    await expectHealthy();
  });

  it('host stacks in outcomes hide host paths', async () => {
    const outcome = await runtime.invoke(request('async function onTrack() {\n  crypto.createHash("nope");\n}', TRACK));
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.stack).not.toMatch(/node:|\/work\/|out\/runtime|ses\.cjs/);
    expect(outcome.error?.frames[0]).toMatchObject({ functionName: 'onTrack', line: 2 });
  });

  it('a thrown Proxy or getter-laden object fails safely', async () => {
    const outcome = await attack(`
      let inspected = false;
      const inspectArgs = (...args) => { if (inspected) return; inspected = true; args.forEach((a, i) => { if (a !== proxy) routes('trap arg ' + i, a); }); };
      const proxy = new Proxy({}, {
        get(target, key, receiver) { inspectArgs(target, key, receiver); if (key === 'name') return 'ProxyErr'; if (key === 'message') return 'from proxy'; return undefined; },
        getPrototypeOf(t) { inspectArgs(t); return null; },
        has() { return true; },
        ownKeys() { return []; },
      });
      throw proxy;`);
    expect(outcome.outcome).toBe('Bad Request');
    expect(outcome.error?.name).toBe('ProxyErr');
    expect(outcome.error?.message).toBe('from proxy');
    const getterBomb = await runtime.invoke(
      request(
        `async function onTrack() { throw { get name() { throw new Error('no name') }, get message() { return { toString() { throw 1 } } }, get stack() { throw 2 } } }`,
        TRACK,
      ),
    );
    expect(getterBomb.outcome).toBe('Bad Request');
    expect(getterBomb.error?.name).toBe('Error');
    const revoked = Proxy.revocable({}, {});
    void revoked;
    const revokedOutcome = await runtime.invoke(request('async function onTrack() { const r = Proxy.revocable({}, {}); r.revoke(); throw r.proxy }', TRACK));
    expect(revokedOutcome.outcome).toBe('Bad Request');
    const returnedProxy = await runtime.invoke(request('async function onTrack() { return new Proxy({ a: 1 }, { get(t, k) { if (k === "then") return undefined; throw new Error("boom") } }) }', TRACK));
    expect(returnedProxy.outcome).toBe('Success');
    expect(String(returnedProxy.result)).toMatch(/could not be converted/);
    const thenable = await runtime.invoke(request('async function onTrack() { return { then(resolve) { resolve(7) } } }', TRACK));
    expect(thenable.result).toBe(7);
    await expectHealthy();
  });

  it('non-error throws and stack overflows are reported, not fatal', async () => {
    const str = await runtime.invoke(request('async function onTrack() { throw "plain string" }', TRACK));
    expect(str.error?.message).toMatch(/plain string/);
    const overflow = await runtime.invoke(request('function f() { return f() + 1 }\nasync function onTrack() { f() }', TRACK));
    expect(overflow.error?.name).toBe('RangeError');
    const unhandled = await runtime.invoke(request('async function onTrack() { Promise.reject(new Error("nobody listens")); await new Promise((r) => setTimeout(r, 20)); return "done" }', TRACK));
    expect(unhandled.result).toBe('done');
    expect(unhandled.logs.map((l) => l.message).join('')).toMatch(/Unhandled promise rejection.*nobody listens/);
    await expectHealthy();
  });
});

describe('timers after return', () => {
  it('cannot act after the handler returned, even re-arming themselves', async () => {
    const fn = request(
      `let events = [];
      async function onTrack(event) {
        if (event.event === 'arm') {
          const rearm = () => { events.push('tick'); console.log('late log'); fetch('https://api.example.com/late'); setTimeout(rearm, 5); };
          setTimeout(rearm, 5);
          Promise.resolve().then(() => new Promise((r) => setTimeout(r, 30))).then(() => { events.push('chain'); console.log('late chain'); });
          return 'armed';
        }
        await new Promise((r) => setTimeout(r, 100));
        return events;
      }`,
      { ...TRACK, event: 'arm' },
      { network: MOCKS },
    );
    expect((await runtime.invoke(fn)).result).toBe('armed');
    const next = await runtime.invoke({ ...fn, input: { ...TRACK, event: 'check' } });
    expect(next.result).toEqual([]);
    expect(next.logs).toEqual([]);
    expect(next.requests).toEqual([]);
  });
});

describe('host paths', () => {
  it('never appear in stacks guest code can read', async () => {
    const outcome = await runtime.invoke(
      request(
        `async function onTrack() {
          const stacks = [];
          try { null.x } catch (e) { stacks.push(e.stack) }
          try { crypto.createHash('nope') } catch (e) { stacks.push(e.stack) }
          try { await fetch('https://blocked.example.com/') } catch (e) { stacks.push(e.stack) }
          try { (0, eval)('null.y') } catch (e) { stacks.push(e.stack) }
          try { Function('return null.z')() } catch (e) { stacks.push(e.stack) }
          const o = {}; Error.captureStackTrace(o); stacks.push(o.stack);
          return stacks;
        }`,
        TRACK,
        { network: MOCKS },
      ),
    );
    const stacks = outcome.result as string[];
    expect(stacks).toHaveLength(6);
    expect(stacks[0]).toMatch(/^TypeError: .*\n {4}at onTrack \(handler\.js:3:/);
    for (const stack of stacks) expect(stack).not.toMatch(/\/work\/|node:|node_modules|out\/runtime|\/usr\//);
  });
});

describe('AWS never sees host credentials', () => {
  it('ignores AWS_* variables of the host environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIA_HOST_LEAK';
    process.env.AWS_SECRET_ACCESS_KEY = 'host-secret';
    const fresh = createRuntime({ workers: 1 });
    try {
      const outcome = await fresh.invoke(
        request(
          `async function onTrack() { return await new AWS.S3({ region: 'us-east-1', maxRetries: 0 }).listBuckets().promise() }`,
          TRACK,
          { timeoutMs: 20000, network: { offline: true, mockRules: [{ url: 'https://s3.amazonaws.com/*', body: '<ListAllMyBucketsResult/>' }] } },
        ),
      );
      expect(outcome.outcome).toBe('Bad Request');
      expect(outcome.error?.message).toMatch(/credentials/i);
      expect(JSON.stringify(outcome)).not.toMatch(/AKIA_HOST_LEAK|host-secret/);
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await fresh.close();
    }
  }, 40_000);
});
