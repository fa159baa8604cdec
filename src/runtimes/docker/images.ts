// The container images of the Docker runtime and docker-compose.yml, pinned in this one place (tests check compose
// against it): the upstream images by default, or the local ones scripts/docker-images.sh builds without a registry.
import { invalidInput } from '../../errors/index.ts';

export interface ImageTags {
  readonly redis: string;
  readonly toxiproxy: string;
  readonly postgres: string;
  readonly k6: string;
  /** session-service's Dockerfile (the same Node major as the pinned node package). */
  readonly node: string;
}

/** Pulled from a registry: the default wherever one is reachable. */
export const images = {
  redis: 'redis:7.0.15',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
  postgres: 'postgres:15.10',
  k6: 'grafana/k6:0.54.0',
  node: 'node:24.21.0-bookworm-slim',
} as const satisfies ImageTags;

/**
 * Built on this machine from Debian packages and this checkout (scripts/docker-images.sh); the names say so. The
 * proxy is cachequake's own Toxiproxy 2.12-compatible server; k6 has no local image.
 */
export const localImages = {
  redis: 'cachequake.local/redis:7.0.15',
  toxiproxy: 'cachequake.local/toxiproxy:2.12.0',
  postgres: 'cachequake.local/postgres:15',
  k6: images.k6,
  node: 'cachequake.local/node:24',
} as const satisfies ImageTags;

export type ImageSet = 'upstream' | 'local';
export const imageSetVariable = 'CACHEQUAKE_IMAGES';

/** The image set an option or CACHEQUAKE_IMAGES asks for (upstream when neither does); a bad value is exit 2. */
export function selectImages(option?: ImageSet, env: NodeJS.ProcessEnv = process.env): ImageTags {
  const asked = option ?? (env[imageSetVariable] || 'upstream');
  if (asked === 'upstream') return images;
  if (asked === 'local') return localImages;
  throw invalidInput(
    'CQ_DOCKER_IMAGES_UNKNOWN',
    `Expected ${imageSetVariable} to be upstream or local, got "${asked}".`,
    {
      hint: `Unset ${imageSetVariable} for the upstream images, or set ${imageSetVariable}=local after scripts/docker-images.sh built the local ones.`,
    },
  );
}
