import { describe, expect, it } from 'vitest';
import { inferSuffix, observeSuffix, stripSuffix } from './display-name';
import { diffLines, unifiedDiff } from './text-diff';

describe('unifiedDiff', () => {
  it('is empty for equal texts and shows hunks with context otherwise', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { before: 'x', after: 'y' })).toBe('');
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 3\n', 'line three\n').replace('line 18\n', '');
    expect(unifiedDiff(before, after, { before: 'remote', after: 'local' })).toBe(
      [
        '--- remote',
        '+++ local',
        '@@ -1,6 +1,6 @@',
        ' line 1',
        ' line 2',
        '-line 3',
        '+line three',
        ' line 4',
        ' line 5',
        ' line 6',
        '@@ -15,6 +15,5 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        ' line 19',
        ' line 20',
        '',
      ].join('\n'),
    );
  });

  it('handles a text from nothing', () => {
    expect(diffLines('', 'a\n')).toEqual([{ op: '+', text: 'a' }]);
    expect(unifiedDiff('', 'a\n', { before: 'x', after: 'y' })).toBe('--- x\n+++ y\n@@ -1,0 +1,1 @@\n+a\n');
  });
});

describe('display-name suffix', () => {
  it('infers the shared suffix, observes it from a save, strips it once', () => {
    expect(inferSuffix(['A (Acme)', 'B (v2) (Acme)'])).toEqual({ text: ' (Acme)', evidence: 'inferred' });
    expect(inferSuffix(['A (Acme)', 'B'])).toBeNull();
    expect(inferSuffix(['A (Acme)', 'B (Other)'])).toBeNull();
    expect(observeSuffix('Hook', 'Hook (Acme Prod)')).toEqual({ text: ' (Acme Prod)', evidence: 'observed' });
    expect(observeSuffix('Hook', 'Hook')).toBeNull();
    const suffix = { text: ' (Acme)', evidence: 'observed' as const };
    expect(stripSuffix('B (v2) (Acme)', suffix)).toBe('B (v2)');
    expect(stripSuffix('B (v2)', suffix)).toBe('B (v2)');
    expect(stripSuffix(' (Acme)', suffix)).toBe(' (Acme)');
  });
});
