// `cachequake doctor`: placeholder, filled in by the local runtime work.
import type { Command } from 'commander';

export function registerDoctor(_program: Command): void {}
