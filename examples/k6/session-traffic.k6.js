// A k6 script for load.driver: k6 — session-service's traffic mix at a constant arrival rate, with the ledger's tokens.
/* global __ENV, open -- k6 globals: the environment (-e) and file reading in the init context */
import http from 'k6/http';

const baseUrl = __ENV.CACHEQUAKE_BASE_URL;
// the ledger's tokens under cachequake; none when the compose k6 service runs the script on its own
const tokens = __ENV.CACHEQUAKE_TOKENS_FILE ? JSON.parse(open(__ENV.CACHEQUAKE_TOKENS_FILE)) : [];

export const options = {
  scenarios: {
    cachequake: {
      executor: 'constant-arrival-rate', // open model: a slow service shows up as latency, not as fewer requests
      rate: Number(__ENV.CACHEQUAKE_RATE),
      timeUnit: '1s',
      duration: __ENV.CACHEQUAKE_DURATION,
      preAllocatedVUs: 50,
      maxVUs: 500,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.05'],
    http_req_duration: ['p(99)<500'],
  },
};

const routes = [
  { path: '/session', weight: 50 },
  { path: '/profile', weight: 25 },
  { path: '/feed', weight: 20 },
  { path: '/', weight: 5, anonymous: true },
];

function pick() {
  let n = Math.random() * 100;
  for (const route of routes) if ((n -= route.weight) < 0) return route;
  return routes[0];
}

export default function () {
  const route = pick();
  const token = tokens[Math.floor(Math.random() * tokens.length)];
  const headers = route.anonymous || !token ? {} : { authorization: `Bearer ${token}` };
  http.get(`${baseUrl}${route.path}`, { headers, timeout: __ENV.CACHEQUAKE_TIMEOUT });
}
