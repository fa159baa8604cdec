// The session contract as plain requests: login bodies, token extraction from JSON, cookie or header, carriers, the
// traffic picker.
import { describe, expect, it } from 'vitest';
import {
  authHeaders,
  checkRequest,
  classifyCheck,
  loginRequest,
  readSessionToken,
  sessionOf,
  targetFromObject,
  trafficPicker,
  trafficRequest,
} from '../../src/targets/index.ts';

const base = {
  name: 'contract',
  command: 'node',
  health: { path: '/health' },
  traffic: [
    { path: '/a', weight: 1 },
    { path: '/users/{{user}}', auth: true, weight: 3 },
  ],
} as const;

function target(session: Parameters<typeof targetFromObject>[0]['session']) {
  return targetFromObject({ ...base, traffic: [...base.traffic], session }, '/tmp');
}

describe('session contract', () => {
  it('sends a JSON login with typed placeholders and reads a nested JSON token', () => {
    const t = target({
      login: {
        path: '/login',
        body: { u: '{{user}}', keep: '{{rememberMe}}', note: 'hi {{user}}' },
        token: { from: 'json', field: 'data.token' },
      },
      check: { path: '/me' },
      token: { in: 'bearer' },
    });
    const request = loginRequest(t, { user: 'ann', password: 'pw', rememberMe: true });
    expect(request).toEqual({
      method: 'POST',
      path: '/login',
      headers: { 'content-type': 'application/json' },
      body: '{"u":"ann","keep":true,"note":"hi ann"}',
    });
    expect(readSessionToken(t, { status: 200, headers: {}, body: '{"data":{"token":"abc"}}' })).toEqual({
      ok: true,
      token: 'abc',
    });
    expect(readSessionToken(t, { status: 200, headers: {}, body: '{"data":{}}' })).toMatchObject({
      ok: false,
      reason: 'login body has no data.token',
    });
    expect(readSessionToken(t, { status: 500, headers: {}, body: 'boom' })).toMatchObject({
      ok: false,
      reason: 'login answered 500: boom',
    });
    expect(checkRequest(t, 'abc', 'ann')).toEqual({
      method: 'GET',
      path: '/me',
      headers: { authorization: 'Bearer abc' },
    });
  });

  it('sends a form login and reads the token from a Set-Cookie among several', () => {
    const t = target({
      login: {
        path: '/login',
        format: 'form',
        body: { username: '{{user}}', remember: '{{rememberMe}}' },
        token: { from: 'cookie', name: 'sid' },
      },
      check: { path: '/me' },
      token: { in: 'cookie', name: 'sid' },
    });
    const request = loginRequest(t, { user: 'a b', password: 'pw', rememberMe: false });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body).toBe('username=a+b&remember=false');
    const response = {
      status: 302,
      headers: { 'set-cookie': ['theme=dark; Path=/', 'sid=x%2By; HttpOnly'] },
      body: '',
    };
    expect(readSessionToken(t, response)).toMatchObject({ ok: false });
    const redirects = targetFromObject(
      {
        ...base,
        traffic: [...base.traffic],
        session: { ...sessionOf(t), login: { ...sessionOf(t).login, okStatus: [302] } },
      },
      '/tmp',
    );
    expect(readSessionToken(redirects, response)).toEqual({ ok: true, token: 'x+y' });
    expect(checkRequest(t, 'x+y', 'a b').headers).toEqual({ cookie: 'sid=x%2By' });
  });

  it('reads a token from a response header and sends it in a named header', () => {
    const t = target({
      login: { path: '/login', token: { from: 'header', name: 'X-Session' } },
      check: { method: 'POST', path: '/check/{{user}}' },
      token: { in: 'header', name: 'X-Session' },
    });
    expect(readSessionToken(t, { status: 201, headers: { 'x-session': 'tok' }, body: '' })).toEqual({
      ok: true,
      token: 'tok',
    });
    expect(checkRequest(t, 'tok', 'bo')).toEqual({
      method: 'POST',
      path: '/check/bo',
      headers: { 'x-session': 'tok' },
    });
    expect(authHeaders({ in: 'bearer' }, 't')).toEqual({ authorization: 'Bearer t' });
  });

  it('classifies check statuses: 2xx valid, 401 lost, anything else an error', () => {
    expect([200, 204, 401, 403, 404, 500, 503].map(classifyCheck)).toEqual([
      'valid',
      'valid',
      'lost',
      'error',
      'error',
      'error',
      'error',
    ]);
  });

  it('picks traffic by weight and fills {{user}} for authenticated entries', () => {
    const t = target({
      login: { path: '/login', token: { from: 'json', field: 'token' } },
      check: { path: '/me' },
      token: { in: 'bearer' },
    });
    const pick = trafficPicker(t);
    expect([0, 0.24, 0.25, 0.99, 1].map((r) => pick(r).path)).toEqual([
      '/a',
      '/a',
      '/users/{{user}}',
      '/users/{{user}}',
      '/users/{{user}}',
    ]);
    const entry = t.manifest.traffic[1]!;
    expect(trafficRequest(t, entry, { token: 'tk', user: 'zed' })).toEqual({
      method: 'GET',
      path: '/users/zed',
      headers: { authorization: 'Bearer tk' },
    });
    expect(trafficRequest(t, t.manifest.traffic[0]!)).toEqual({ method: 'GET', path: '/a', headers: {} });
  });
});
