// Picks the next route of a weighted traffic mix (smooth weighted round-robin: exact shares, no randomness) with its
// prepared request.
import type { TrafficRoute } from './types.ts';

/** A route with everything that does not change per request built once. */
export interface PreparedRoute {
  method: string;
  path: string;
  authenticated: boolean;
  /** The route's own headers; authenticated requests copy them and add the token. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

function prepare(route: TrafficRoute): PreparedRoute {
  const headers: Record<string, string> = { ...route.headers };
  let body: string | Uint8Array | null = null;
  if (typeof route.body === 'string' || route.body instanceof Uint8Array) {
    body = route.body;
  } else if (route.body !== undefined) {
    body = JSON.stringify(route.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method: route.method.toUpperCase(), path: route.path, authenticated: route.authenticated, headers, body };
}

export class TrafficMix {
  private readonly routes: PreparedRoute[];
  private readonly weights: number[];
  private readonly current: number[];
  private readonly totalWeight: number;

  constructor(mix: readonly TrafficRoute[]) {
    const active = mix.filter((r) => r.weight > 0);
    this.routes = active.map(prepare);
    this.weights = active.map((r) => r.weight);
    this.current = active.map(() => 0);
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
  }

  /** Each pick adds every weight to its counter, takes the largest, and subtracts the total from it. */
  next(): PreparedRoute {
    let best = 0;
    for (let i = 0; i < this.current.length; i++) {
      this.current[i] = (this.current[i] as number) + (this.weights[i] as number);
      if ((this.current[i] as number) > (this.current[best] as number)) best = i;
    }
    this.current[best] = (this.current[best] as number) - this.totalWeight;
    return this.routes[best] as PreparedRoute;
  }
}
