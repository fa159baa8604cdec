// The container images of the Docker runtime and docker-compose.yml, pinned in this one place (tests check compose
// against it).
export const images = {
  redis: 'redis:7.0.15',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.9.0',
  postgres: 'postgres:15.10',
  k6: 'grafana/k6:0.54.0',
  /** session-service's Dockerfile (the same Node major as the pinned node package). */
  node: 'node:24.21.0-bookworm-slim',
} as const;
