import { describe, expect, it } from 'vitest';
import { workspaceDialogMessage, workspaceSavedText, workspaceSourceText } from './workspace-source';

describe('workspace source texts', () => {
  it('say the preference moves the folder only when it does', () => {
    const byPreference = workspaceDialogMessage({ root: '/w', source: 'preference', followsPreference: true });
    expect(byPreference).toContain('switch to it now');
    expect(byPreference).toContain('a full path, or one starting with ~/');
    expect(workspaceDialogMessage({ root: '/h/fnstudio-functions', source: 'default', followsPreference: true })).toContain('default folder');
    for (const [source, names] of [['flag', '--workspace'], ['env', 'FNSTUDIO_WORKSPACE']] as const) {
      const text = workspaceDialogMessage({ root: '/w', source, followsPreference: false });
      expect(text).toContain(names);
      expect(text).toContain('does not change now');
      expect(text).not.toContain('switch to it now');
    }
    expect(workspaceDialogMessage({ root: '/w', source: 'host', followsPreference: false })).toContain('does not change that');
  });

  it('after saving, names where the workspace is and why', () => {
    expect(workspaceSavedText({ root: '/new', source: 'preference', followsPreference: true }, '/new')).toBe('Workspace folder: /new');
    expect(workspaceSavedText({ root: '/w', source: 'env', followsPreference: false }, '/later')).toBe(
      'Saved /later for a later start. The workspace stays /w (set by FNSTUDIO_WORKSPACE).',
    );
    expect(workspaceSourceText('flag')).toBe('set by --workspace');
  });
});
