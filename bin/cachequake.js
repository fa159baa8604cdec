#!/usr/bin/env node
// Entry point: in a clone of the repository it runs the TypeScript sources through Node's type stripping; in the
// installed package (no src/) it runs the compiled dist/. Each refuses a Node too old for it with a clear message.
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (fromSources && (major < 22 || (major === 22 && minor < 18))) {
  process.stderr.write(
    `cachequake needs Node.js 22.18 or newer to run from its TypeScript sources; this is ${process.version}.\n` +
      'In this repository run it through npm (npm run cachequake -- …, or npx cachequake …), which uses the pinned Node 24,\n' +
      'or install Node 24 LTS.\n',
  );
  process.exit(3);
}
if (!fromSources && major < 22) {
  process.stderr.write(`cachequake needs Node.js 22 or newer; this is ${process.version}. Install Node 24 LTS.\n`);
  process.exit(3);
}
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});
// A bug that escapes every handler (an unhandled rejection, a throw in a callback, a module that fails to load) is an
// internal error: exit 70 with its stack, not Node's default exit 1, which would read as "an expectation failed".
const internal = (error) => {
  process.stderr.write(
    `cachequake: internal error (a bug; please report it with this output)\n${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(70);
};
process.on('uncaughtException', internal);
process.on('unhandledRejection', internal);
await import(fromSources ? '../src/cli/main.ts' : '../dist/cli/main.js').catch(internal);
