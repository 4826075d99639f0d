import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { InputDescription, SkippedLine } from '../../contract/replay';
import { readEvents, ReplayInputError, resolveInputs, type EventRecord } from './input';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scratch(files: Record<string, string | Buffer>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fnstudio-replay-input-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function readAll(args: string[], stdin?: Readable): Promise<{ events: EventRecord[]; skips: SkippedLine[]; formats: InputDescription[]; bytes: number }> {
  const events: EventRecord[] = [];
  const skips: SkippedLine[] = [];
  const formats: InputDescription[] = [];
  let bytes = 0;
  const sources = await resolveInputs(args, stdin);
  for await (const group of readEvents(sources, { onSkip: (s) => skips.push(s), onFormat: (f) => formats.push(f), onBytes: (n) => (bytes += n) })) {
    events.push(...group);
  }
  return { events, skips, formats, bytes };
}

const track = (i: number) => ({ type: 'track', event: `E${i}`, messageId: `m${i}`, properties: { i } });
const ndjson = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify(track(i))).join('\n') + '\n';

describe('replay input formats', () => {
  it('reads NDJSON with file and line of each event', async () => {
    const d = scratch({ 'a.ndjson': ndjson(3) });
    const { events, skips, formats } = await readAll([path.join(d, 'a.ndjson')]);
    expect(events.map((e) => [e.line, e.event.event])).toEqual([[1, 'E0'], [2, 'E1'], [3, 'E2']]);
    expect(skips).toEqual([]);
    expect(formats).toEqual([{ file: path.join(d, 'a.ndjson'), format: 'ndjson', gzip: false }]);
  });

  it('reads multi-byte text split across the pieces a big read is decoded in, plain and gzipped', async () => {
    // Lines of 1, 2, 3 and 4 UTF-8 bytes per character over ~600 KB: characters straddle
    // 64 KB piece boundaries and 256 KB read boundaries somewhere.
    const names = ['plain ascii', 'café ü', '日本語テキスト', '😀 emoji 🎉'];
    const lines = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ type: 'track', event: names[i % 4].repeat(1 + (i % 7)), messageId: `m${i}` }));
    const text = lines.join('\n') + '\n';
    const d = scratch({ 'big.ndjson': text, 'big.ndjson.gz': gzipSync(text) });
    for (const name of ['big.ndjson', 'big.ndjson.gz']) {
      const { events, skips } = await readAll([path.join(d, name)]);
      expect(skips).toEqual([]);
      expect(events.map((e) => [e.line, e.event.event])).toEqual(lines.map((l, i) => [i + 1, (JSON.parse(l) as { event: string }).event]));
    }
  });

  it('reads gzipped NDJSON, detected by magic bytes whatever the name', async () => {
    const d = scratch({ 'export-0001': gzipSync(ndjson(1000)) });
    const { events, formats, bytes } = await readAll([path.join(d, 'export-0001')]);
    expect(events).toHaveLength(1000);
    expect(events[999]).toMatchObject({ line: 1000, event: { event: 'E999' } });
    expect(formats[0]).toMatchObject({ format: 'ndjson', gzip: true });
    expect(bytes).toBeGreaterThan(0);
  });

  it('reads a pretty-printed JSON array element by element, with the line each starts on', async () => {
    const d = scratch({ 'a.json': JSON.stringify([track(0), { type: 'identify', traits: { s: 'a ] , [ "x' } }, track(2)], null, 2) });
    const { events, skips, formats } = await readAll([path.join(d, 'a.json')]);
    expect(skips).toEqual([]);
    expect(events.map((e) => e.event.type)).toEqual(['track', 'identify', 'track']);
    expect(events[1].event).toEqual({ type: 'identify', traits: { s: 'a ] , [ "x' } });
    expect(events.map((e) => e.line)).toEqual([2, 10, 16]);
    expect(formats[0].format).toBe('json-array');
  });

  it('reads a JSON array split into many small chunks (stdin) exactly as a whole', async () => {
    const text = JSON.stringify([track(0), track(1), track(2)]);
    const stdin = new PassThrough();
    const d = scratch({});
    void d;
    const reading = readAll(['-'], stdin);
    for (let i = 0; i < text.length; i += 7) stdin.write(text.slice(i, i + 7));
    stdin.end();
    const { events, formats } = await reading;
    expect(events.map((e) => e.event.event)).toEqual(['E0', 'E1', 'E2']);
    expect(formats).toEqual([{ file: '-', format: 'json-array', gzip: false }]);
  });

  it('reads batch payloads one per line, applying the payload context to events without one', async () => {
    const lines = [
      JSON.stringify({ batch: [track(0), { ...track(1), context: { own: true } }], context: { ip: '1.2.3.4' } }),
      JSON.stringify({ batch: [track(2)] }),
    ].join('\n');
    const d = scratch({ 'b.ndjson': lines });
    const { events, formats } = await readAll([path.join(d, 'b.ndjson')]);
    expect(formats[0].format).toBe('batch-lines');
    expect(events.map((e) => [e.line, e.event.event, e.event.context])).toEqual([
      [1, 'E0', { ip: '1.2.3.4' }],
      [1, 'E1', { own: true }],
      [2, 'E2', undefined],
    ]);
  });

  it('reads one pretty-printed batch payload per file, and a file holding one event', async () => {
    const d = scratch({
      'batch.json': JSON.stringify({ batch: [track(0), track(1)], sentAt: '2026-01-01T00:00:00Z' }, null, 2),
      'one.json': JSON.stringify(track(7), null, 2),
    });
    const { events, formats } = await readAll([path.join(d, 'batch.json'), path.join(d, 'one.json')]);
    expect(events.map((e) => e.event.event)).toEqual(['E0', 'E1', 'E7']);
    expect(formats.map((f) => f.format)).toEqual(['batch-file', 'json-object']);
  });

  it('reads every file of a folder in name order, skipping hidden files', async () => {
    const d = scratch({ 'b/2.ndjson': ndjson(1), 'a.ndjson.gz': gzipSync(ndjson(2)), '.DS_Store': 'junk' });
    const { events, formats } = await readAll([d]);
    expect(formats.map((f) => [path.relative(d, f.file), f.gzip])).toEqual([
      ['a.ndjson.gz', true],
      [path.join('b', '2.ndjson'), false],
    ]);
    expect(events).toHaveLength(3);
  });

  it('reports an empty input as empty', async () => {
    const d = scratch({ 'e.ndjson': '\n\n' });
    const { events, formats } = await readAll([path.join(d, 'e.ndjson')]);
    expect(events).toEqual([]);
    expect(formats[0].format).toBe('empty');
  });

  it('refuses missing files and empty folders before reading anything', async () => {
    const d = scratch({ 'empty/.keep': '' });
    await expect(resolveInputs([path.join(d, 'nope.ndjson')])).rejects.toThrow(ReplayInputError);
    await expect(resolveInputs([path.join(d, 'nope.ndjson')])).rejects.toThrow(/nope\.ndjson: no such file or folder/);
    await expect(resolveInputs([path.join(d, 'empty')])).rejects.toThrow(/holds no event files/);
    await expect(resolveInputs([])).rejects.toThrow(/no events to replay/);
  });
});

describe('replay input: the text each event was read from', () => {
  it('keeps a line or array element as the text the event travels as, unless writing it out would differ', async () => {
    const lines = [
      ' { "type": "track", "event": "caf\\u00e9", "n": 1.50 } ',
      // "1e5" inside a string, a date in January: only numbers count.
      '{"type":"track","messageId":"ajs-1e5","timestamp":"2015-01-05T00:00:00.000Z"}',
      // …or what looks like one to a quick scan: the event is then written out, to be safe.
      '{"type":"track","note":"ratio:-0"}',
      '{"type":"track","properties":{"seats":1e3}}',
      '{"type":"track","properties":{"seats":[2.5E-3]}}',
      '{"type":"track","properties":{"delta":-0}}',
      '{"type":"track","properties":{"delta":-0.0}}',
      '{"type":"track","properties":{"delta":-0.5,"zero":0}}',
      JSON.stringify({ batch: [track(0)], context: { ip: '1.2.3.4' } }),
    ];
    const d = scratch({ 'a.ndjson': lines.join('\n') + '\n', 'b.json': JSON.stringify([track(1), track(2)], null, 2) });
    const { events } = await readAll([path.join(d, 'a.ndjson'), path.join(d, 'b.json')]);
    expect(events.map((e) => e.text)).toEqual([
      lines[0].trim(),
      lines[1],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      lines[7],
      // A batch item may have had its payload's context merged in.
      undefined,
      JSON.stringify(track(1), null, 2).replace(/\n/g, '\n  '),
      JSON.stringify(track(2), null, 2).replace(/\n/g, '\n  '),
    ]);
    for (const event of events) if (event.text !== undefined) expect(JSON.parse(event.text)).toEqual(event.event);
  });
});

describe('replay input: bad lines', () => {
  it('counts every kind of bad line with file, line and reason, and goes on', async () => {
    const big = { type: 'track', event: 'Big', properties: { blob: 'x'.repeat(40_000) } };
    const lines = [
      JSON.stringify(track(0)),
      '{"type": "track", "event": ',
      '"just a string"',
      '[1, 2]',
      JSON.stringify({ event: 'No Type' }),
      JSON.stringify({ type: 42 }),
      JSON.stringify(big),
      JSON.stringify(track(8)),
    ].join('\n');
    const d = scratch({ 'bad.ndjson': lines });
    const file = path.join(d, 'bad.ndjson');
    const { events, skips } = await readAll([file]);
    expect(events.map((e) => e.line)).toEqual([1, 8]);
    expect(skips.map((s) => [s.file, s.line, s.reason])).toEqual([
      [file, 2, 'not-json'],
      [file, 3, 'not-an-object'],
      [file, 4, 'not-an-object'],
      [file, 5, 'no-type'],
      [file, 6, 'no-type'],
      [file, 7, 'too-large'],
    ]);
    expect(skips[0].detail).toMatch(/not JSON/);
    expect(skips[5].detail).toMatch(/39\.\d KB, over Segment's 32 KB limit/);
  });

  it('does not hold a line that never ends: a huge line is skipped as too large', async () => {
    const d = scratch({ 'huge.ndjson': JSON.stringify(track(0)) + '\n' + '{"type":"track","x":"' + 'y'.repeat(3 * 1024 * 1024) + '"}\n' + JSON.stringify(track(2)) });
    const { events, skips } = await readAll([path.join(d, 'huge.ndjson')]);
    expect(events.map((e) => e.line)).toEqual([1, 3]);
    expect(skips.map((s) => [s.line, s.reason])).toEqual([[2, 'too-large']]);
  });

  it('reports bad events inside a batch payload by the payload line and index', async () => {
    const d = scratch({ 'b.ndjson': JSON.stringify({ batch: [track(0), { event: 'x' }, 'str'] }) });
    const { events, skips } = await readAll([path.join(d, 'b.ndjson')]);
    expect(events).toHaveLength(1);
    expect(skips.map((s) => [s.line, s.reason, s.detail.slice(0, 9)])).toEqual([
      [1, 'no-type', 'batch[1]:'],
      [1, 'not-an-object', 'batch[2]:'],
    ]);
  });

  it('reports bad array elements by the line they start on, and an unclosed array', async () => {
    const d = scratch({ 'a.json': '[\n' + JSON.stringify(track(0)) + ',\n{"nope": 1},\n{"type": tru}\n' });
    const { events, skips } = await readAll([path.join(d, 'a.json')]);
    expect(events).toHaveLength(1);
    expect(skips.map((s) => [s.line, s.reason])).toEqual([
      [3, 'no-type'],
      [4, 'not-json'],
      [5, 'not-json'],
    ]);
    expect(skips[2].detail).toMatch(/not closed/);
  });

  it('counts a corrupt gzip stream as unreadable and continues with the next file', async () => {
    const gz = gzipSync(ndjson(5000));
    const corrupt = gz.subarray(0, Math.floor(gz.length / 2));
    const d = scratch({ '1.gz': corrupt, '2.ndjson': ndjson(2) });
    const { events, skips } = await readAll([path.join(d, '1.gz'), path.join(d, '2.ndjson')]);
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatchObject({ file: path.join(d, '1.gz'), reason: 'unreadable', detail: 'reading stopped here: unexpected end of file' });
    const fromFirst = events.filter((e) => e.file.endsWith('1.gz'));
    expect(fromFirst.length).toBeGreaterThan(100);
    expect(skips[0].line).toBe(fromFirst.length + 1);
    expect(events.filter((e) => e.file.endsWith('2.ndjson'))).toHaveLength(2);
  });
});
