import { describe, expect, it } from 'vitest';
import type { FunctionSetting } from '../../../main/contract';
import { planSync, type DraftStash, type PanelSnapshot } from './panel-sync';
import { applyPatch, draftsFromSchema, newDraft } from './settings-draft';

const apiKey: FunctionSetting = { name: 'apiKey', label: 'API Key', description: '', type: 'STRING', required: true, sensitive: true };
const region: FunctionSetting = { name: 'region', label: 'Region', description: '', type: 'STRING', required: false, sensitive: false };

function clean(functionId: string, saved: FunctionSetting[]): PanelSnapshot {
  return { functionId, saved, drafts: draftsFromSchema(saved), openKey: null };
}

function edited(functionId: string, saved: FunctionSetting[]): PanelSnapshot {
  const extra = applyPatch(newDraft(), { label: 'Endpoint' });
  return { functionId, saved, drafts: [...draftsFromSchema(saved), extra], openKey: extra.key };
}

describe('planSync', () => {
  it('opens a function with drafts from its schema', () => {
    const plan = planSync({ functionId: null, saved: [], drafts: [], openKey: null }, 'a', [apiKey], new Map());
    expect(plan).toMatchObject({ kind: 'open', functionId: 'a', saved: [apiKey], openKey: null });
    expect(plan.kind === 'open' && plan.drafts.map((d) => d.name)).toEqual(['apiKey']);
  });

  it('keeps unsaved drafts aside when switching and brings them back on return', () => {
    const stash: DraftStash = new Map();
    const before = edited('a', [apiKey]);
    expect(planSync(before, 'b', [region], stash).kind).toBe('open');
    expect(stash.has('a')).toBe(true);
    const back = planSync(clean('b', [region]), 'a', [apiKey], stash);
    expect(back).toMatchObject({ kind: 'open', drafts: before.drafts, openKey: before.openKey });
    expect(stash.size).toBe(0);
  });

  it('drops kept drafts when function.json changed while away', () => {
    const stash: DraftStash = new Map();
    planSync(edited('a', [apiKey]), 'b', [region], stash);
    const back = planSync(clean('b', [region]), 'a', [apiKey, region], stash);
    expect(back.kind === 'open' && back.drafts.map((d) => d.name)).toEqual(['apiKey', 'region']);
  });

  it('does not keep clean drafts, and keeps dirty ones when the function closes', () => {
    const stash: DraftStash = new Map();
    planSync(clean('a', [apiKey]), 'b', [region], stash);
    expect(stash.size).toBe(0);
    expect(planSync(edited('b', [region]), null, null, stash)).toEqual({ kind: 'close' });
    expect(stash.has('b')).toBe(true);
  });

  it('ignores a new meta with the same schema (e.g. a rename)', () => {
    expect(planSync(edited('a', [apiKey]), 'a', [{ ...apiKey }], new Map())).toEqual({ kind: 'unchanged' });
  });

  it('adopts a changed schema when there are no edits, keeping card keys by position', () => {
    const state = clean('a', [apiKey]);
    const plan = planSync(state, 'a', [apiKey, region], new Map());
    expect(plan.kind).toBe('adopt');
    if (plan.kind !== 'adopt') return;
    expect(plan.drafts.map((d) => d.name)).toEqual(['apiKey', 'region']);
    expect(plan.drafts[0].key).toBe(state.drafts[0].key);
  });

  it('adopts our own save (the schema equals the drafts) even though the drafts differ from the old saved one', () => {
    const state = edited('a', [apiKey]);
    const saved = [apiKey, { name: 'endpoint', label: 'Endpoint', description: '', type: 'STRING' as const, required: false, sensitive: false }];
    expect(planSync(state, 'a', saved, new Map()).kind).toBe('adopt');
  });

  it('reports a conflict when the schema changed on disk under unsaved edits', () => {
    expect(planSync(edited('a', [apiKey]), 'a', [region], new Map())).toEqual({ kind: 'conflict', saved: [region] });
  });
});
