#!/usr/bin/env node
// Entry point: refuses Node < 22 with a clear message, then runs the TypeScript CLI through Node's type stripping.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22 || (major === 22 && Number(process.versions.node.split('.')[1]) < 18)) {
  process.stderr.write(
    `cachequake needs Node.js 22.18 or newer (it runs its TypeScript sources directly); this is ${process.version}.\n` +
      'In this repository run it through npm (npm run cachequake -- …, or npx cachequake …), which uses the pinned Node 24,\n' +
      'or install Node 24 LTS.\n',
  );
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
await import('../src/cli/main.ts').catch(internal);
