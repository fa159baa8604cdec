// Process faults done to a server's container through the engine's API: kill with a signal, start the same container
// again (its files and network alias stay), pause and unpause (the cgroup freezer), and the state they leave.
import { environmentError } from '../../errors/index.ts';
import { waitUntil } from '../local/wait-until.ts';

export interface ContainerControl {
  /** The container's main process as the host sees it (docker inspect State.Pid; 0 when it is not running). */
  hostPid(): Promise<number>;
  /** docker inspect State.Status: created, running, paused, exited, … */
  state(): Promise<string>;
  /** The host port a container port is published on now (a start may publish it on another). */
  hostPort(containerPort: number): Promise<number>;
  /** Sends a signal to the container's main process and waits until the container has exited. */
  killAndWait(signal: 'SIGKILL' | 'SIGINT' | 'SIGTERM', waitMs?: number): Promise<void>;
  /** Waits until the container has exited by itself (a Redis SHUTDOWN). */
  waitExited(waitMs?: number): Promise<void>;
  /** docker start of the same container. */
  start(): Promise<void>;
  pause(): Promise<{ containerState: string }>;
  resume(): Promise<{ containerState: string }>;
}

type Inspected = {
  State: { Status: string; Running: boolean; Pid: number };
  NetworkSettings: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> };
};
type EngineContainer = {
  inspect(): Promise<Inspected>;
  kill(options: { signal: string }): Promise<unknown>;
  start(): Promise<unknown>;
  pause(): Promise<unknown>;
  unpause(): Promise<unknown>;
};

/** Controls for a container this run started, by id; every call goes to the engine testcontainers talks to. */
export function containerControl(id: string, name: string): ContainerControl {
  let cached: EngineContainer | undefined;
  const container = async (): Promise<EngineContainer> => {
    if (cached) return cached;
    const { getContainerRuntimeClient } = await import('testcontainers');
    cached = (await getContainerRuntimeClient()).container.getById(id) as unknown as EngineContainer;
    return cached;
  };
  const inspect = async () => (await (await container()).inspect()).State;
  const hostPort = async (containerPort: number) => {
    const { NetworkSettings } = await (await container()).inspect();
    const bindings = NetworkSettings.Ports?.[`${containerPort}/tcp`] ?? [];
    const port = Number((bindings.find((b) => !b.HostIp.includes(':')) ?? bindings[0])?.HostPort);
    return Number.isInteger(port) && port > 0
      ? port
      : engineFailed('read the published port of', new Error(`${containerPort}/tcp is not published`));
  };
  const engineFailed = (what: string, cause: unknown): never => {
    throw environmentError(
      'CQ_DOCKER_CONTAINER_FAILED',
      `the docker runtime could not ${what} the ${name} container: ${cause instanceof Error ? cause.message : String(cause)}.`,
      { cause, hint: 'Check the engine (docker ps -a, docker logs <container>); the run tears its containers down.' },
    );
  };
  const waitExited = async (waitMs = 15_000) => {
    const outcome = await waitUntil(async () => !(await inspect()).Running, { timeoutMs: waitMs, intervalMs: 25 });
    if (!outcome.ok) engineFailed('stop', new Error(`it was still running after ${waitMs} ms`));
  };
  return {
    hostPid: async () => (await inspect()).Pid,
    state: async () => (await inspect()).Status,
    hostPort,
    async killAndWait(signal, waitMs) {
      await (await container()).kill({ signal }).catch((cause: unknown) => engineFailed(`send ${signal} to`, cause));
      await waitExited(waitMs);
    },
    waitExited,
    async start() {
      await (await container()).start().catch((cause: unknown) => engineFailed('start', cause));
    },
    async pause() {
      await (await container()).pause().catch((cause: unknown) => engineFailed('pause', cause));
      return { containerState: (await inspect()).Status };
    },
    async resume() {
      await (await container()).unpause().catch((cause: unknown) => engineFailed('unpause', cause));
      return { containerState: (await inspect()).Status };
    },
  };
}
