// The layer rule with fnstudio's own layer table, on imports written the way each layer
// would write them: every boundary of architecture.md is refused, and what is allowed passes.
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import layersPlugin from './import-layers.mjs';
import { layerRuleOptions } from './layers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function problems(file, code) {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parser: tseslint.parser, sourceType: 'module' },
        plugins: { fnstudio: layersPlugin },
        rules: { 'fnstudio/import-layers': ['error', layerRuleOptions(root)] },
      },
    ],
    path.join(root, file),
  );
  for (const m of messages) if (m.fatal) throw new Error(`${file}: ${m.message}`);
  return messages.map((m) => m.message);
}

describe('import-layers with the project layers', () => {
  it('keeps the runtime out of main/', () => {
    expect(problems('runtime/pool.ts', "import type { Outcome } from '../main/contract/outcome';")).toEqual([
      "runtime must not import contract (main/contract/outcome): it may import only common",
    ]);
    expect(problems('runtime/sandbox/x.ts', "import { y } from '../../main/core/redact';")[0]).toMatch(/^runtime must not import core/);
    expect(problems('runtime/sandbox/x.ts', "import type { Outcome } from '../../common/outcome';")).toEqual([]);
    expect(problems('runtime/x.ts', "import 'keytar';")[0]).toMatch(/runtime must not import the package "keytar"/);
  });

  it('lets the renderer reach only the contract (and the typings text)', () => {
    expect(problems('renderer/src/state/x.ts', "import type { Outcome } from '../../../main/contract';")).toEqual([]);
    expect(problems('renderer/src/state/x.ts', "import { createApiClient } from '../../../main/contract/client';")).toEqual([]);
    expect(problems('renderer/src/state/x.ts', "import { api } from '../../../main/core/services';")[0]).toMatch(/^renderer must not import core/);
    expect(problems('renderer/src/state/x.ts', "import { createRuntime } from '../../../runtime';")[0]).toMatch(/^renderer must not import runtime/);
    expect(problems('renderer/src/state/x.ts', "import { readFile } from 'node:fs';")[0]).toMatch(/renderer must not import the package "fs"/);
    expect(problems('renderer/src/state/x.ts', "import { ipcRenderer } from 'electron';")[0]).toMatch(/package "electron"/);
    expect(problems('renderer/src/editor/x.ts', "import dts from '../../../resources/types/segment-functions.d.ts?raw';")).toEqual([]);
  });

  it('keeps core free of Electron and of the hosts', () => {
    expect(problems('main/core/x.ts', "import { app } from 'electron';")[0]).toMatch(/core must not import the package "electron"/);
    expect(problems('main/core/x.ts', "import Store from 'electron-store';")[0]).toMatch(/core must not import the package "electron-store"/);
    expect(problems('main/core/x.ts', "import { startWebHost } from '../webhost/server';")[0]).toMatch(/^core must not import web host/);
    expect(problems('main/core/x.ts', "import { APP_ORIGIN } from '../electron/app-protocol';")[0]).toMatch(/^core must not import electron host/);
    expect(problems('main/core/x.ts', "import { x } from '../cli/main';")[0]).toMatch(/^core must not import cli/);
    expect(problems('main/webhost/x.ts', "import { BrowserWindow } from 'electron';")[0]).toMatch(/web host must not import the package "electron"/);
  });

  it('keeps the contract and the bottom layer browser-safe and self-contained', () => {
    expect(problems('main/contract/x.ts', "import { createHash } from 'node:crypto';")[0]).toMatch(/contract must not import the package "crypto"/);
    expect(problems('main/contract/x.ts', "import { x } from '../core/redact';")[0]).toMatch(/^contract must not import core/);
    expect(problems('main/contract/x.ts', "export * from '../../common/outcome';")).toEqual([]);
    expect(problems('common/x.ts', "import type { FnStudioApi } from '../main/contract/api';")[0]).toMatch(/^common must not import contract/);
  });

  it('lets nothing outside runtime/ reach past its public entry', () => {
    expect(problems('main/cli/x.ts', "import { createRuntime } from '../../runtime/index';")).toEqual([]);
    expect(problems('main/cli/x.ts', "import { createRuntime } from '../../runtime';")).toEqual([]);
    expect(problems('main/core/x.ts', "import type { Runtime } from '../../runtime/api';")).toEqual([]);
    expect(problems('main/core/x.ts', "import { WorkerPool } from '../../runtime/pool';")).toEqual([
      'only runtime/index.ts and runtime/api.ts may be imported from outside runtime, not runtime/pool',
    ]);
    expect(problems('e2e/x.ts', "import { lockdown } from '../runtime/sandbox/lockdown';")[0]).toMatch(/^only runtime\/index\.ts/);
    expect(problems('resources/x.test.ts', "import { SEGMENT_GLOBALS } from '../runtime/globals-list';")[0]).toMatch(/^only runtime\/index\.ts/);
  });

  it('sees re-exports, require() and import() too', () => {
    expect(problems('runtime/x.ts', "export { isRetryable } from '../main/contract/outcome';")[0]).toMatch(/^runtime must not import contract/);
    expect(problems('runtime/x.ts', "const m = require('../main/core/redact');")[0]).toMatch(/^runtime must not import core/);
    expect(problems('runtime/x.ts', "const m = import('../main/core/redact');")[0]).toMatch(/^runtime must not import core/);
  });

  it('lets tests of a layer load test tools, but not cross layers', () => {
    expect(problems('main/contract/methods.test.ts', "import { describe } from 'vitest';")).toEqual([]);
    expect(problems('main/preload/bridge.test.ts', "import { readFileSync } from 'node:fs';")).toEqual([]);
    expect(problems('runtime/x.test.ts', "import { createCoreServices } from '../main/core/services';")[0]).toMatch(/^runtime must not import core/);
  });
});
