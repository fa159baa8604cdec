// Finds k6 on PATH; missing → exit 3 with the install hint.
import { environmentError } from '../../errors/index.ts';
import { findOnPath } from '../../runtimes/local/binaries.ts';

export const k6InstallHint =
  'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/; Debian/Ubuntu: the k6 apt repository, macOS: brew install k6) and put it on PATH, ' +
  'or run the experiment on the docker runtime (a grafana/k6 container), or use the built-in driver (remove load.driver).';

/** The k6 executable, or undefined. */
export function findK6(): string | undefined {
  return findOnPath('k6');
}

export async function requireK6(): Promise<string> {
  const k6 = findK6();
  if (!k6)
    throw environmentError('CQ_K6_NOT_INSTALLED', 'no k6 on PATH: this experiment uses load.driver: k6.', {
      hint: k6InstallHint,
    });
  return k6;
}
