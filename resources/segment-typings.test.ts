import { describe, expect, it } from 'vitest';
import * as ts from 'typescript';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORBIDDEN_GLOBALS, SEGMENT_GLOBALS } from '../runtime';

const DTS_PATH = join(__dirname, 'types', 'segment-functions.d.ts');
const dtsText = readFileSync(DTS_PATH, 'utf8');

/** A namespace is a value when it holds one (types and interfaces alone make none). */
function isInstantiated(declaration: ts.ModuleDeclaration): boolean {
  const body = declaration.body;
  if (body === undefined) return false;
  if (ts.isModuleDeclaration(body)) return isInstantiated(body);
  if (!ts.isModuleBlock(body)) return false;
  return body.statements.some((s) => {
    if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) return false;
    if (ts.isModuleDeclaration(s)) return isInstantiated(s);
    return true;
  });
}

/** Names of the global *values* a script .d.ts declares (types and interfaces excluded). */
function declaredGlobalValues(text: string): string[] {
  const source = ts.createSourceFile('segment-functions.d.ts', text, ts.ScriptTarget.ES2022, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name)) names.push(decl.name.text);
      }
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      if (statement.name) names.push(statement.name.text);
    } else if (ts.isModuleDeclaration(statement)) {
      if (isInstantiated(statement)) names.push(statement.name.text);
    } else if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      throw new Error('segment-functions.d.ts must stay a script: it has a top-level import/export');
    }
  }
  return [...new Set(names)].sort();
}

/** Type-checks user code (a plain script, as Segment runs it) against the typings and ES2022 only. */
function checkFunction(code: string): string[] {
  const files = new Map<string, string>([
    ['/fn/handler.js', code],
    ['/fn/segment-functions.d.ts', dtsText],
  ]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: false,
    noImplicitAny: false,
  };
  const host = ts.createCompilerHost(options);
  const readDefault = host.readFile.bind(host);
  const getSourceDefault = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name) ?? readDefault(name);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const text = files.get(name);
    if (text !== undefined) return ts.createSourceFile(name, text, languageVersion, true);
    return getSourceDefault(name, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram(['/fn/segment-functions.d.ts', '/fn/handler.js'], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

const SAMPLE_FUNCTION = `
/**
 * @param {SegmentTrackEvent} event
 * @param {FunctionSettings} settings
 */
async function onTrack(event, settings) {
  if (!event.userId && !event.anonymousId) throw new ValidationError('no user');
  const body = _.pick(event, ['event', 'properties', 'userId']);
  const hash = crypto.createHash('sha256').update(String(event.userId)).digest('hex');
  const url = new URL('https://example.com/collect');
  url.searchParams.set('h', hash);
  const token = await cache.load('token', 60000, async () => btoa(settings.apiKey + ':'));
  const res = await fetch(url.toString(), {
    method: 'POST',
    headers: new Headers({ 'Content-Type': 'application/json', Authorization: 'Basic ' + token }),
    body: JSON.stringify(body),
  });
  if (res.status >= 500 || res.status === 429) throw new RetryError('retry: ' + res.status);
  if (!res.ok) throw new InvalidEventPayload(await res.text());
  console.log('sent', event.event, Buffer.from(hash, 'hex').length, xml({ a: 'b' }));
  const timer = setTimeout(() => undefined, 10);
  clearTimeout(timer);
  return res.json();
}

/** @param {SegmentIdentifyEvent} event @param {FunctionSettings} settings */
async function onIdentify(event, settings) {
  const s3 = new AWS.S3({ region: 'us-east-1' });
  await s3.putObject({ Bucket: settings.bucket, Key: event.userId, Body: JSON.stringify(event.traits.email) }).promise();
  const form = new FormData();
  form.append('email', event.traits.email ?? '');
  const oauth = new OAuth.OAuth2('id', 'secret', 'https://example.com');
  oauth.getAuthorizeUrl({});
  return atob(btoa('x'));
}

/** @type {OnBatchHandler} */
async function onBatch(events, settings) {
  return events.map((e) => (e.type === 'track' ? { status: 200 } : { status: 400, errormessage: 'unsupported ' + e.type }));
}

/** @param {SegmentDeleteEvent} event */
async function onDelete(event) {
  throw new EventNotSupported(event.type + ' not supported');
}
`;

describe('resources/types/segment-functions.d.ts', () => {
  it('declares exactly the runtime globals (SEGMENT_GLOBALS) as values', () => {
    expect(declaredGlobalValues(dtsText)).toEqual([...SEGMENT_GLOBALS].sort());
  });

  it('never declares the forbidden names (require, module, exports, process)', () => {
    const declared = declaredGlobalValues(dtsText);
    for (const name of FORBIDDEN_GLOBALS) expect(declared).not.toContain(name);
  });

  it('type-checks a realistic function that uses the globals and typed handler signatures', () => {
    expect(checkFunction(SAMPLE_FUNCTION)).toEqual([]);
  });

  it('reports misuse: unknown lodash members, wrong fetch and error arguments, require, DOM globals', () => {
    const problems = checkFunction(`
/** @param {SegmentTrackEvent} event */
async function onTrack(event) {
  _.notALodashFunction(event);
  await fetch(42);
  throw new ValidationError('a', 'b');
  const lib = require('lodash');
  document.title = 'x';
}
`);
    const text = problems.join('\n');
    expect(text).toMatch(/notALodashFunction/);
    expect(text).toMatch(/Argument of type 'number'/);
    expect(text).toMatch(/handler\.js:6 Expected 0-1 arguments/);
    // In a checked script `require` resolves nothing: there are no modules to import.
    expect(text).toMatch(/handler\.js:7 Cannot find module 'lodash'/);
    expect(text).toMatch(/Cannot find name 'document'/);
  });
});
