// How to run a target's process once rendered from its manifest: command, args, env, port and readiness path.
export interface TargetProcessOptions {
  /** Executable; `node` means the Node running cachequake. */
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** The port the target listens on (passed to it through env by the caller). */
  port: number;
  /** A path such as `/health`: ready when it answers 2xx. Without it, ready when the port accepts. */
  healthPath?: string;
  startTimeoutMs?: number;
  /** A name for messages and logs. */
  name?: string;
}
