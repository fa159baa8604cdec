// --runtime auto, from what doctor would find: local when redis-server and PostgreSQL are installed, else docker when
// an engine answers.
import { environmentError } from '../errors/index.ts';
import { findOnPath, postgresBinDir } from '../runtimes/local/binaries.ts';

export async function autoRuntime(): Promise<'local' | 'docker'> {
  const redis = process.env.CACHEQUAKE_REDIS_SERVER ?? findOnPath('redis-server');
  const postgres = postgresBinDir();
  if (redis && postgres) return 'local';
  const { dockerEngineAvailable, dockerInstallHint } = await import('../runtimes/docker/docker-engine.ts');
  if (await dockerEngineAvailable()) return 'docker';
  const missing = [redis ? undefined : 'redis-server', postgres ? undefined : 'PostgreSQL']
    .filter(Boolean)
    .join(' and ');
  throw environmentError(
    'CQ_NO_RUNTIME',
    `--runtime auto found no runtime: ${missing} not installed (local), and no Docker engine (docker).`,
    {
      hint: `Install the local services (cachequake doctor --fix, or apt-get install -y redis-server postgresql-15), or ${dockerInstallHint.charAt(0).toLowerCase()}${dockerInstallHint.slice(1)}`,
    },
  );
}
