// `defineTarget(x)` returns x: it exists so a manifest written in TypeScript is type-checked.
import type { TargetManifestInput } from './target-manifest-schema.ts';

export function defineTarget<const T extends TargetManifestInput>(manifest: T): T {
  return manifest;
}
