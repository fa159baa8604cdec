// `cachequake proxy`: placeholder until the fault proxy lands.
import type { Command } from 'commander';

export function registerProxy(_program: Command): void {}
