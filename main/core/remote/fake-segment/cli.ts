/**
 * `npm run fake-segment -- [--port N] [--token T] [--workspace-name NAME] …`: starts the
 * fake Public API by hand (demos, e2e). The first line printed is
 * `fake-segment: http://127.0.0.1:PORT`; it runs until stopped (Ctrl-C, SIGTERM).
 */
import { readFileSync } from 'node:fs';
import { startFakeSegment, type FakeSegmentOptions } from './server';
import type { WireSetting } from '../wire';

const HELP = `Usage: npm run fake-segment -- [options]

A local stand-in for Segment's Public API (Functions endpoints) on 127.0.0.1, for tests
and demos. Point fnstudio at it with --api-url http://127.0.0.1:PORT.

Options:
  --port N                  port to listen on (default: a free one)
  --token T                 the Workspace Owner token to accept (default: fake-token)
  --read-only-token T       also accept T with a role that can only read
  --functions-admin-token T also accept T with Functions Admin only (cannot deploy)
  --workspace-name NAME     appended to destination functions' names (default: Fake Workspace)
  --latency MS              delay every answer by MS milliseconds
  --no-versions             answer 404 for the (alpha) versions endpoints
  --no-deploy-on-save       a destination function's save does not go live
  --seed FILE               JSON array of functions to create at start
                            ({displayName, code, resourceType?, settings?, description?})
  -h, --help                show this help

Control API (for tests): POST /__fake/faults {status, count?, method?, pathIncludes?,
retryAfterSec?, msBeforeNext?, resetInMs?, drop?, delayMs?}; DELETE /__fake/faults;
POST /__fake/switches {latencyMs?, versions?, deployOnSave?, deployAcceptsFunctionIds?};
GET /__fake/requests; POST /__fake/reset; POST /__fake/functions; PATCH|DELETE /__fake/functions/ID.
`;

async function main(argv: string[]): Promise<number> {
  const options: FakeSegmentOptions = {};
  let seedFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`option ${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        process.stdout.write(HELP);
        return 0;
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a whole number from 0 to 65535');
        options.port = port;
        break;
      }
      case '--token':
        options.token = value();
        break;
      case '--read-only-token':
        options.readOnlyToken = value();
        break;
      case '--functions-admin-token':
        options.functionsAdminToken = value();
        break;
      case '--workspace-name':
        options.workspaceName = value();
        break;
      case '--latency': {
        const ms = Number(value());
        if (!Number.isInteger(ms) || ms < 0) throw new Error('--latency must be a whole number of milliseconds');
        options.latencyMs = ms;
        break;
      }
      case '--no-versions':
        options.versions = false;
        break;
      case '--no-deploy-on-save':
        options.deployOnSave = false;
        break;
      case '--seed':
        seedFile = value();
        break;
      default:
        throw new Error(`unknown option '${arg}'; run with --help`);
    }
  }
  const fake = await startFakeSegment(options);
  if (seedFile !== null) {
    const seeds = JSON.parse(readFileSync(seedFile, 'utf8')) as Array<{ displayName: string; code: string; settings?: WireSetting[] }>;
    for (const seed of seeds) fake.seed(seed);
  }
  process.stdout.write(`fake-segment: ${fake.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await fake.close();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`fake-segment: ${err.message}\n`);
      process.exit(2);
    },
  );
}
