// `cachequake proxy`: a standalone Toxiproxy-compatible server (API + proxies), loopback by default, until
// SIGINT/SIGTERM.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { environmentError, invalidInput } from '../../errors/index.ts';
import { PopulateError, startFaultProxy, toxiproxyVersion, type StartedFaultProxy } from '../../proxy/index.ts';

interface ProxyCommandOptions {
  host: string;
  port: string;
  config?: string;
}

export function registerProxy(program: Command): void {
  program
    .command('proxy')
    .description(`run a Toxiproxy ${toxiproxyVersion}-compatible fault proxy server (drop-in for toxiproxy-server)`)
    .option(
      '--host <host>',
      'address of the HTTP API (use 0.0.0.0 to expose it; there is no authentication)',
      '127.0.0.1',
    )
    .option('--port <port>', 'port of the HTTP API (0 picks a free one)', '8474')
    .option(
      '--config <file>',
      'JSON array of proxies to create at start, as for POST /populate (toxiproxy-server -config)',
    )
    .addOption(new Option('--seed <n>', 'accepted for toxiproxy-server scripts; has no effect (as there)').hideHelp())
    .addHelpText(
      'after',
      "\ntoxiproxy-server's single-dash flags work too: -host <host>, -port <port>, -config <file> (also -name=value).",
    )
    .action(async (options: ProxyCommandOptions) => {
      const port = parsePort(options.port);
      const populate = options.config === undefined ? undefined : await readConfig(options.config);
      const started = await start(options.host, port, populate, options.config);
      process.stdout.write(
        `cachequake proxy: Toxiproxy ${toxiproxyVersion}-compatible API on ${started.url}` +
          `${populate ? ` (${populate.length} proxies from ${options.config})` : ''}; Ctrl-C to stop\n`,
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      await started.stop();
      process.stdout.write(`cachequake proxy: stopped on ${signal}\n`);
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw invalidInput('CQ_PROXY_BAD_PORT', `Expected --port to be an integer from 0 to 65535, got \`${text}\`.`, {
      hint: "Use --port 8474 (Toxiproxy's default) or --port 0 for a free port.",
    });
  }
  return port;
}

async function readConfig(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw invalidInput(
      'CQ_PROXY_CONFIG_UNREADABLE',
      `Cannot read the proxy config ${file}: ${(error as Error).message}.`,
      {
        file,
        cause: error,
        hint: 'Pass the path of a JSON file holding an array like [{"name":"redis","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379"}].',
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput(
      'CQ_PROXY_CONFIG_INVALID',
      `The proxy config ${file} is not valid JSON: ${(error as Error).message}.`,
      {
        file,
        cause: error,
        hint: 'Fix the JSON syntax; the file must hold one array of proxies.',
      },
    );
  }
  if (!Array.isArray(value)) {
    throw invalidInput(
      'CQ_PROXY_CONFIG_INVALID',
      `The proxy config ${file} must be a JSON array of proxies, got ${value === null ? 'null' : typeof value}.`,
      {
        file,
        hint: 'Wrap the proxies in [ … ]: [{"name":"redis","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379"}].',
      },
    );
  }
  return value;
}

async function start(
  host: string,
  port: number,
  populate: unknown[] | undefined,
  file: string | undefined,
): Promise<StartedFaultProxy> {
  try {
    return await startFaultProxy({ host, port, populate });
  } catch (error) {
    if (error instanceof PopulateError) {
      const detail = error.message.replace(/^populate failed \(HTTP \d+\): /, '');
      if (error.status === 400) {
        throw invalidInput('CQ_PROXY_CONFIG_INVALID', `The proxy config ${file} is invalid: ${detail}.`, {
          file,
          cause: error,
          hint: 'Every proxy needs "name" and "upstream" ("host:port"); "listen" defaults to all interfaces on a random port.',
        });
      }
      throw environmentError('CQ_PROXY_LISTEN_FAILED', `A proxy from ${file} cannot listen: ${detail}.`, {
        file,
        cause: error,
        hint: 'Choose a free "listen" port for it (or port 0 for a random one), or stop whatever holds that port.',
      });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw environmentError(
        'CQ_PROXY_PORT_IN_USE',
        `Port ${port} on ${host} is already in use, so the proxy API cannot listen there.`,
        {
          cause: error,
          hint: `Stop what holds it (see: ss -ltnp 'sport = :${port}'), or pick another port: cachequake proxy --port 0`,
        },
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw invalidInput('CQ_PROXY_BAD_HOST', `Cannot listen on host ${host}: ${(error as Error).message}.`, {
        cause: error,
        hint: 'Use an address of this machine, e.g. --host 127.0.0.1 (default) or --host 0.0.0.0.',
      });
    }
    throw error;
  }
}
