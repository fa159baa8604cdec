// The environment of a run as HTML: runtime and versions, load, pids, the effective Redis config (key settings first).
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import { formatBytes, formatMs } from '../format-quantities.ts';
import { escapeHtml } from './html-escape.ts';

/** The redis.conf settings that decide what happens to sessions under memory pressure, restarts and load. */
export const keyRedisSettings = [
  'maxmemory',
  'maxmemory-policy',
  'maxmemory-samples',
  'maxclients',
  'timeout',
  'save',
  'appendonly',
  'appendfsync',
  'lazyfree-lazy-eviction',
  'hz',
  'io-threads',
] as const;

export function environmentSection(e: ExperimentJournal): string {
  const env = e.environment;
  const rows: [string, string][] = [
    ['target', `${e.target.name}${e.target.file ? ` (${e.target.file})` : ''}`],
    ['experiment file', e.file ?? '–'],
    ['runtime', env.runtime],
    ...Object.entries(env.versions).map(([k, v]): [string, string] => [`${k} version`, v]),
    ['proxy', env.proxy],
    ['load', `${env.load.rateRps} req/s, timeout ${formatMs(env.load.timeoutMs)}`],
    ['environment started in', formatMs(env.startedInMs)],
  ];
  if (env.processes)
    rows.push([
      'pids',
      `redis ${env.processes.redis}, postgres ${env.processes.postgres ?? '–'}, target ${env.processes.target}`,
    ]);
  const config = env.redisConfig;
  const keyRows = keyRedisSettings
    .filter((k) => k in config)
    .map(
      (k) => `<tr><td><code>${k}</code></td><td><code>${escapeHtml(redisValue(k, config[k] ?? ''))}</code></td></tr>`,
    );
  const all = Object.keys(config)
    .sort()
    .map((k) => `<tr><td><code>${escapeHtml(k)}</code></td><td><code>${escapeHtml(config[k] ?? '')}</code></td></tr>`);
  return (
    `<table class="environment"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>` +
    `<h4>Effective Redis config (CONFIG GET *)</h4>` +
    (keyRows.length
      ? `<table class="redis-config"><tbody>${keyRows.join('')}</tbody></table>`
      : '<p class="muted">Not recorded (Redis did not start).</p>') +
    (all.length
      ? `<details><summary>all ${all.length} settings</summary><table><tbody>${all.join('')}</tbody></table></details>`
      : '') +
    (env.targetLog?.length
      ? `<details><summary>the target's last ${env.targetLog.length} log lines</summary><pre>${escapeHtml(env.targetLog.join('\n'))}</pre></details>`
      : '')
  );
}

function redisValue(key: string, value: string): string {
  if (key === 'maxmemory') return value === '0' ? '0 (no limit)' : `${value} (${formatBytes(Number(value))})`;
  return value;
}
