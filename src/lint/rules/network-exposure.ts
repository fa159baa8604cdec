// What the network rules share: does a client need a password, and which bind addresses are not loopback.
import type { EffectiveConfig } from '../effective-config.ts';

/** True when connecting is not enough: the default user has a password or is switched off. */
export function hasAuth(config: EffectiveConfig): boolean {
  const user = config.defaultUser.value;
  return !user.enabled || !user.nopass;
}

/** Bind addresses that are not loopback (`-` marks an optional address in Redis 7). */
export function nonLoopback(config: EffectiveConfig): string[] {
  return config.bind.value.filter((raw) => {
    const address = raw.startsWith('-') ? raw.slice(1) : raw;
    return !(/^127\./.test(address) || address === '::1' || address.toLowerCase() === 'localhost');
  });
}
