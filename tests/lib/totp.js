// TOTP codes computed in node from the secret the enrolment page shows
// (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as an authenticator
// app computes them: the tests never ask the server for a code.
'use strict';
const crypto = require('node:crypto');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(s) {
  const clean = s.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The code of the step `offset` steps from now (0: now, 1: the next).
function totp(secret, offset = 0, now = Date.now() / 1000) {
  const step = Math.floor(now / 30) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 15;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 1000000).padStart(6, '0');
}

// A code of the right shape that is none of the steps accepted now.
function wrongCode(secret) {
  const good = new Set([-1, 0, 1].map((o) => totp(secret, o)));
  for (let n = 123456; ; n = (n + 111111) % 1000000) {
    const c = String(n).padStart(6, '0');
    if (!good.has(c)) return c;
  }
}

module.exports = { totp, wrongCode, base32Decode };
