// Rule maxmemory-near-machine: a maxmemory at 90% or more of the machine's memory leaves no room for the OS, fork and
// fragmentation.
import { describeBytes } from '../../redis-conf/index.ts';
import type { LintRule } from '../lint-types.ts';

/** Share of the machine's memory from which maxmemory is flagged. */
export const nearMachineShare = 0.9;

export const maxmemoryNearMachine: LintRule = {
  id: 'maxmemory-near-machine',
  severity: 'warning',
  title: 'maxmemory is 90% or more of the machine memory',
  explanation:
    'maxmemory counts the dataset as Redis accounts it (used_memory), not the process: measured on Redis 7.0.15, 20 MB of data took 31.7 MB of RSS ' +
    '(mem_fragmentation_ratio 1.59), and a snapshot or AOF rewrite forks, so pages written meanwhile are copied. At 90% of the machine the kernel ' +
    'kills Redis before eviction or OOM replies ever start.',
  fix: 'Keep maxmemory well below the machine (about 50–75% with snapshots or AOF, a little more without), or pass --machine-memory with the production machine size when linting elsewhere.',
  check({ config, machineMemoryBytes }) {
    const { value, directive } = config.maxmemoryBytes;
    if (value === 0 || machineMemoryBytes <= 0 || value < nearMachineShare * machineMemoryBytes) return [];
    const share = Math.round((value / machineMemoryBytes) * 100);
    return [
      {
        directive,
        message: `maxmemory ${describeBytes(value)} is ${share}% of this machine's ${describeBytes(machineMemoryBytes)}`,
      },
    ];
  },
};
