import { describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../../main/contract';
import {
  applyPatch,
  draftProblems,
  draftsFromSchema,
  isSavedAsIs,
  moveDraft,
  moveItem,
  newDraft,
  redraft,
  removeDraft,
  sameSchema,
  schemaFromDrafts,
  updateDraft,
} from './settings-draft';

const apiKey: FunctionSetting = { name: 'apiKey', label: 'API Key', description: 'From the dashboard', type: 'STRING', required: true, sensitive: true };
const region: FunctionSetting = { name: 'euRegion', label: 'Region', description: '', type: 'STRING', required: false, sensitive: false };
const flag: FunctionSetting = { name: 'sendPii', label: 'Send PII', description: '', type: 'BOOLEAN', required: false, sensitive: false };

describe('drafts', () => {
  it('round-trip a schema and remember which names were typed by hand', () => {
    const drafts = draftsFromSchema([apiKey, region]);
    expect(drafts.map((d) => d.nameEdited)).toEqual([false, true]);
    expect(new Set(drafts.map((d) => d.key)).size).toBe(2);
    expect(schemaFromDrafts(drafts)).toEqual([apiKey, region]);
    expect(sameSchema(schemaFromDrafts(drafts), [apiKey, region])).toBe(true);
  });

  it('derive the name from the label as it is typed, until the name is edited', () => {
    let d = newDraft();
    for (const label of ['E', 'En', 'Endpoint', 'Endpoint U', 'Endpoint URL']) d = applyPatch(d, { label });
    expect(d.name).toBe('endpointUrl');
    d = applyPatch(d, { name: 'url' });
    expect(d.nameEdited).toBe(true);
    d = applyPatch(d, { label: 'Collector URL' });
    expect(d).toMatchObject({ label: 'Collector URL', name: 'url' });
    // Typing the generated name again gives the name back to the label.
    d = applyPatch(d, { name: 'collectorUrl' });
    expect(d.nameEdited).toBe(false);
    d = applyPatch(d, { label: 'Collector endpoint' });
    expect(d.name).toBe('collectorEndpoint');
  });

  it('change other fields without touching the name', () => {
    const [d] = draftsFromSchema([region]);
    const [changed] = updateDraft([d], d.key, { type: 'ARRAY', required: true, sensitive: true, description: 'x' });
    expect(changed).toMatchObject({ name: 'euRegion', type: 'ARRAY', required: true, sensitive: true, description: 'x' });
  });

  it('trim labels when saving', () => {
    const d = applyPatch(newDraft(), { label: '  API Key ' });
    expect(schemaFromDrafts([d])[0]).toMatchObject({ label: 'API Key', name: 'apiKey' });
  });
});

describe('reorder and remove', () => {
  it('moves items and clamps at the ends', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 7, 0)).toEqual(['a', 'b', 'c']);
  });

  it('moves drafts up and down by key and removes them', () => {
    const drafts = draftsFromSchema([apiKey, region, flag]);
    const down = moveDraft(drafts, drafts[0].key, 1);
    expect(down.map((d) => d.name)).toEqual(['euRegion', 'apiKey', 'sendPii']);
    const up = moveDraft(down, drafts[2].key, -1);
    expect(up.map((d) => d.name)).toEqual(['euRegion', 'sendPii', 'apiKey']);
    expect(removeDraft(up, drafts[1].key).map((d) => d.name)).toEqual(['sendPii', 'apiKey']);
  });

  it('redraft keeps keys by position so the open card stays open after a save', () => {
    const drafts = draftsFromSchema([apiKey, region]);
    const again = redraft([apiKey, region, flag], drafts);
    expect(again[0].key).toBe(drafts[0].key);
    expect(again[1].key).toBe(drafts[1].key);
    expect(again[2].key).not.toBe(drafts[0].key);
  });
});

describe('validation', () => {
  it('reports label, name and description problems per draft', () => {
    const blank = newDraft();
    const [a, b] = draftsFromSchema([apiKey, { ...region, name: 'apiKey' }]);
    const bad = applyPatch(newDraft(), { label: 'Bad', name: 'bad name' });
    const long = { ...applyPatch(newDraft(), { label: 'Long' }), description: 'd'.repeat(2001) };
    const problems = draftProblems([blank, a, b, bad, long]);
    expect(problems[blank.key]).toEqual({ label: 'Label is required.', name: expect.stringMatching(/Name is required/) });
    expect(problems[a.key].name).toMatch(/already named “apiKey”/);
    expect(problems[b.key].name).toMatch(/already named “apiKey”/);
    expect(problems[bad.key]).toEqual({ name: expect.stringMatching(/JavaScript identifier/) });
    expect(problems[long.key]).toEqual({ description: expect.stringMatching(/too long/) });
  });

  it('has no entry for valid drafts', () => {
    expect(draftProblems(draftsFromSchema([apiKey, region, flag]))).toEqual({});
  });
});

describe('isSavedAsIs', () => {
  it('is true only when the stored setting has the same name, type and encryption', () => {
    expect(isSavedAsIs(apiKey, [apiKey])).toBe(true);
    expect(isSavedAsIs({ ...apiKey, label: 'Changed', required: false }, [apiKey])).toBe(true);
    expect(isSavedAsIs({ ...apiKey, name: 'key' }, [apiKey])).toBe(false);
    expect(isSavedAsIs({ ...apiKey, type: 'TEXT_MAP' }, [apiKey])).toBe(false);
    expect(isSavedAsIs({ ...apiKey, sensitive: false }, [apiKey])).toBe(false);
  });

  it('compares whole schemas field by field', () => {
    expect(sameSchema([apiKey], [{ ...apiKey }])).toBe(true);
    expect(sameSchema([apiKey], [{ ...apiKey, description: '' }])).toBe(false);
    expect(sameSchema([apiKey, region], [region, apiKey])).toBe(false);
    expect(sameSchema([apiKey], [])).toBe(false);
  });
});
