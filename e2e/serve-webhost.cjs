// Starts the built web host the way `fnstudio serve` will (until the CLI wires it in):
// node e2e/serve-webhost.cjs <workspace-dir>. Prints the `fnstudio: http://…` line.
'use strict';
const path = require('node:path');

const workspace = process.argv[2];
if (!workspace) {
  process.stderr.write('usage: node e2e/serve-webhost.cjs <workspace-dir>\n');
  process.exit(2);
}
const { serveCommand } = require(path.join(__dirname, '..', 'out', 'main', 'webhost', 'serve-command.js'));
serveCommand(['--port', '0', '--workspace', workspace, '--no-open']).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`serve-webhost: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
