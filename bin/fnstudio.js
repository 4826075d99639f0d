#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'out', 'main', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('fnstudio: not built yet. Run `npm install` (or `npm run build`) in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write('fnstudio: ' + (err && err.stack ? err.stack : String(err)) + '\n'); process.exitCode = 2; },
);
