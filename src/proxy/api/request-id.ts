// 20-character request ids in the shape of rs/xid (what Toxiproxy puts in X-Toxiproxy-Request-Id).
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuv';
const processBytes = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

/** 12 bytes (seconds, 5 process bytes, a 3-byte counter) in base32hex, lower case. */
export function newRequestId(): string {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(Date.now() / 1000) >>> 0, 0);
  processBytes.copy(bytes, 4);
  counter = (counter + 1) & 0xffffff;
  bytes.writeUIntBE(counter, 9, 3);
  let id = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      id += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) id += alphabet[(buffer << (5 - bits)) & 31];
  return id;
}
