// The request and reply scanners on generated streams cut at random (down to 1-byte pieces): same bytes out, same
// decisions, same frame ends.
import { describe, expect, it } from 'vitest';
import { RequestScanner } from '../../src/resp/request-scanner.ts';
import { ReplyScanner } from '../../src/resp/reply-scanner.ts';
import { command, seededRandom } from './fixtures/resp-link.ts';

interface Sent {
  bytes: Buffer;
  name: string;
  key: string | undefined;
  expectsReply: boolean;
}

function commands(random: () => number): Sent[] {
  const list: Sent[] = [];
  for (let i = 0; i < 200; i++) {
    const r = random();
    const key = `k${i}:${'z'.repeat(Math.floor(random() * 40))}`;
    if (r < 0.4)
      list.push({
        bytes: command('set', key, Buffer.alloc(Math.floor(random() * 5000), 'v')),
        name: 'SET',
        key,
        expectsReply: true,
      });
    else if (r < 0.6) list.push({ bytes: command('Swallow', key), name: 'SWALLOW', key, expectsReply: true });
    else if (r < 0.7) list.push({ bytes: Buffer.from(`ping ${key}\r\n`), name: 'PING', key, expectsReply: true });
    else if (r < 0.75) list.push({ bytes: Buffer.from('\r\n'), name: '', key: undefined, expectsReply: false });
    else if (r < 0.8) list.push({ bytes: command('PING'), name: 'PING', key: undefined, expectsReply: true });
    else list.push({ bytes: command('GET', key), name: 'GET', key, expectsReply: true });
  }
  return list;
}

describe('request scanner', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'seed %i: forwards exactly the unswallowed commands and decodes every name and key',
    (seed) => {
      const random = seededRandom(seed);
      const sent = commands(random);
      const all = Buffer.concat(sent.map((c) => c.bytes));
      const scanner = new RequestScanner();
      const seen: Omit<Sent, 'bytes'>[] = [];
      const out: Buffer[] = [];
      const maxPiece = seed % 2 === 0 ? 4 : 3000;
      for (let at = 0; at < all.length;) {
        const piece = Buffer.from(all.subarray(at, at + 1 + Math.floor(random() * maxPiece)));
        at += piece.length;
        scanner.scan(
          piece,
          (c, expectsReply) => {
            seen.push({ name: expectsReply ? c.name() : '', key: expectsReply ? c.key() : undefined, expectsReply });
            return c.name() !== 'SWALLOW';
          },
          (data) => out.push(Buffer.from(data)),
        );
      }
      expect(seen).toEqual(sent.map(({ name, key, expectsReply }) => ({ name, key, expectsReply })));
      expect(
        Buffer.concat(out).equals(Buffer.concat(sent.filter((c) => c.name !== 'SWALLOW').map((c) => c.bytes))),
      ).toBe(true);
      expect(scanner.broken).toBe(false);
    },
  );

  it('a stream that is not RESP passes unparsed from there on', () => {
    const scanner = new RequestScanner();
    const out: Buffer[] = [];
    scanner.scan(
      Buffer.from('*2\r\n$3\r\nGET\r\n:oops\r\nmore bytes'),
      () => true,
      (d) => out.push(d),
    );
    expect(scanner.broken).toBe(true);
    expect(Buffer.concat(out).toString()).toBe('*2\r\n$3\r\nGET\r\n:oops\r\nmore bytes');
  });
});

describe('reply scanner', () => {
  const replies = [
    '+OK\r\n',
    '$5\r\nhello\r\n',
    '$-1\r\n',
    '*2\r\n$1\r\na\r\n:1\r\n',
    '%1\r\n+k\r\n*1\r\n,1.5\r\n',
    '|1\r\n+a\r\n+b\r\n#t\r\n',
    '>2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n',
    '*0\r\n',
    '_\r\n',
    '=7\r\ntxt:abc\r\n',
    '~2\r\n(12345\r\n!3\r\nERR\r\n',
    '*-1\r\n',
    '-ERR x\r\n',
  ].map((r) => Buffer.from(r));

  it.each([1, 2, 3])('seed %i: every RESP2/RESP3 reply ends where it ends, push frames flagged', (seed) => {
    const random = seededRandom(seed);
    const list = Array.from({ length: 500 }, () => replies[Math.floor(random() * replies.length)] as Buffer);
    const all = Buffer.concat(list);
    const scanner = new ReplyScanner();
    const ends: [number, boolean][] = [];
    for (let at = 0; at < all.length;) {
      const piece = all.subarray(at, at + 1 + Math.floor(random() * 20));
      const base = at;
      scanner.scan(piece, (end, isPush) => ends.push([base + end, isPush]));
      at += piece.length;
    }
    let offset = 0;
    expect(ends).toEqual(list.map((reply) => [(offset += reply.length), reply[0] === 0x3e]));
    expect(scanner.atBoundary).toBe(true);
  });
});
