// toxiproxy-server's Go-style flags for `cachequake proxy`: `-host x`, `-port=8474`, `-config f` (and `-seed n`, which
// toxiproxy-server ignores too) become the double-dash options, so existing start scripts run unchanged.

/** Go's `flag` package takes one or two dashes, and `-name value` or `-name=value`. */
const goFlags: Record<string, string> = {
  '-host': '--host',
  '-port': '--port',
  '-config': '--config',
  '-seed': '--seed',
};

/** Rewrites the arguments after `proxy` (up to a `--`); everything else is left as it is. */
export function translateGoFlags(args: readonly string[]): string[] {
  const out: string[] = [];
  let done = false;
  for (const arg of args) {
    if (done || arg === '--') {
      done = true;
      out.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const long = goFlags[name];
    out.push(long ? `${long}${equals < 0 ? '' : arg.slice(equals)}` : arg);
  }
  return out;
}

/** process.argv with the proxy command's Go-style flags translated (other commands untouched). */
export function withGoProxyFlags(argv: readonly string[]): string[] {
  const at = argv.indexOf('proxy', 2);
  // only when `proxy` is the command: the first argument after node and the script
  if (at !== 2) return [...argv];
  return [...argv.slice(0, at + 1), ...translateGoFlags(argv.slice(at + 1))];
}
