// `--parallel auto`: how many experiments run at the same time, from this machine's cores and each experiment's
// declared load, so a suite's wall time drops without the experiments disturbing each other's measurements.
import { availableParallelism } from 'node:os';
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { JournalParallel } from '../journal/journal-parallel.ts';

/**
 * The share of the machine's cores the experiments may keep busy together; the rest is headroom for what a declared
 * load does not show: a ledger login burst, a Sentinel or Cluster start, the latency probes.
 */
export const autoCoreShare = 0.6;

/**
 * Measured on this project's CI machine kind (2 cores): one bundled single-server experiment at 200 req/s kept 0.53
 * core busy on average (Redis, PostgreSQL, the proxy, the target, the load driver and the harness), and logging in its
 * 1,000 users took 90% of both cores for a second. At rest by topology, and per request/s of declared load:
 */
export const restCoresByTopology = { single: 0.2, sentinel: 0.3, cluster: 0.45 } as const;
export const coresPerRequestPerSecond = 0.0016;

export type ParallelPlan = Required<Omit<JournalParallel, 'cpu' | 'maxAtOnce'>> & {
  /** The cores each experiment is expected to keep busy, in selection order. */
  costs: number[];
};

type Sized = Pick<Experiment, 'name' | 'load' | 'redis'>;

/** The cores one experiment is expected to keep busy, from its topology and its declared request rate. */
export function experimentCores(experiment: Sized): number {
  const topology = experiment.redis?.topology ?? 'single';
  return restCoresByTopology[topology] + (experiment.load?.rate ?? 0) * coresPerRequestPerSecond;
}

/**
 * `--parallel auto`: experiments share 60% of the cores (autoCoreShare). Each starts when its expected share fits
 * beside those running (or nothing runs), in selection order; at most one per core (a login burst or a cluster start
 * takes a whole core), never more than the experiments.
 */
export function planParallel(experiments: readonly Sized[], cores = availableParallelism()): ParallelPlan {
  const budgetCores = round(cores * autoCoreShare);
  const costs = experiments.map(experimentCores);
  if (experiments.length === 0)
    return { requested: 'auto', level: 1, cores, budgetCores, costs, reason: 'no experiments' };
  const lightest = Math.min(...costs);
  const heaviest = Math.max(...costs);
  const level = Math.max(1, Math.min(Math.floor(budgetCores / lightest), cores, experiments.length, 16));
  const name = (cost: number) => {
    const e = experiments[costs.indexOf(cost)] as Sized;
    return `${e.name}: ${e.redis?.topology ?? 'single'}, ${e.load?.rate ?? 0} req/s, about ${round(cost)} core`;
  };
  return {
    requested: 'auto',
    level,
    cores,
    budgetCores,
    costs: costs.map(round),
    reason:
      `${cores} cores × ${autoCoreShare * 100}% = ${budgetCores} cores for experiments; each starts when its share ` +
      `fits beside those running (lightest ${name(lightest)}${heaviest > lightest ? `; heaviest ${name(heaviest)}` : ''}) → up to ${level} at a time`,
  };
}

/** A --parallel value: an integer from 1 to 16, or auto; undefined when it is neither. */
export function parseParallel(value: string): number | 'auto' | undefined {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 16 ? n : undefined;
}

const round = (n: number) => Math.round(n * 100) / 100;
