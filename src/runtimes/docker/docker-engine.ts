// Finds a working container engine through testcontainers (Docker, Podman, Colima, a remote DOCKER_HOST); none → exit 3
// that says so.
import { environmentError } from '../../errors/index.ts';

export const dockerInstallHint =
  'Start a Docker engine (the docker CLI alone is not enough: `docker info` must answer), e.g. https://docs.docker.com/engine/install/ — ' +
  'or run on the local runtime (the default: redis-server and PostgreSQL as child processes), or against a staging stack with --env <file>.';

/** True when testcontainers finds a container runtime that answers (used by tests to skip with the reason). */
export async function dockerEngineAvailable(): Promise<boolean> {
  try {
    await requireDockerEngine();
    return true;
  } catch {
    return false;
  }
}

export async function requireDockerEngine(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (cause) {
    throw environmentError(
      'CQ_DOCKER_UNAVAILABLE',
      `no Docker engine: testcontainers found no container runtime that answers (${(cause as Error).message}).`,
      { cause, hint: dockerInstallHint },
    );
  }
}
