// Go-style `host:port` addresses: split, resolve (IPv4 first, like Go's net package) and format as Go prints them.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** An error whose message is the Go error text Toxiproxy would answer with (HTTP 500). */
export class AddressError extends Error {
  override name = 'AddressError';
}

export interface HostPort {
  /** Empty means every interface. */
  host: string;
  port: number;
}

/** Go's net.SplitHostPort plus a numeric port; throws AddressError with Go's wording. */
export function splitHostPort(address: string): HostPort {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) throw new AddressError(`address ${address}: missing ']' in address`);
    host = address.slice(1, close);
    const rest = address.slice(close + 1);
    if (!rest.startsWith(':')) throw new AddressError(`address ${address}: missing port in address`);
    portText = rest.slice(1);
  } else {
    const colon = address.lastIndexOf(':');
    if (colon < 0) throw new AddressError(`address ${address}: missing port in address`);
    host = address.slice(0, colon);
    if (host.includes(':')) throw new AddressError(`address ${address}: too many colons in address`);
    portText = address.slice(colon + 1);
  }
  const port = portText === '' ? 0 : Number(portText);
  if (!/^\d*$/.test(portText) || !Number.isInteger(port) || port > 65535) {
    throw new AddressError(`address ${address}: invalid port`);
  }
  return { host, port };
}

/** Formats like Go's TCPAddr.String(): IPv6 in brackets, empty host as `:port`. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Resolves a host name to one IP (IPv4 preferred); IP literals and '' pass through. */
export async function resolveHost(host: string): Promise<string> {
  if (host === '' || isIP(host)) return host;
  try {
    return (await lookup(host, { family: 4 })).address;
  } catch {
    try {
      return (await lookup(host, { family: 6 })).address;
    } catch {
      throw new AddressError(`lookup ${host}: no such host`);
    }
  }
}

/** Go's `net.ResolveTCPAddr("tcp", address).String()`, used to decide whether a listen address changed. */
export async function resolveTcpAddress(address: string): Promise<string> {
  const { host, port } = splitHostPort(address);
  return joinHostPort(await resolveHost(host), port);
}
