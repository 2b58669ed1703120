// A small HTTP client for the integration tests: a cookie jar per client,
// an optional local address (each 127.x.y.z is a different client to the
// throttle), forms posted as a browser would post them, and the CSRF token
// read from the last page. Built on node:http so nothing is hidden.
'use strict';
const http = require('node:http');

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';

class Client {
  constructor(opts = {}) {
    this.jar = new Map();
    // Each client comes from its own loopback address, so per-address
    // sign-in throttling in one test never trips another.
    this.localAddress = opts.localAddress || randomLoopback();
    this.lastBody = '';
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keepCookies(res) {
    for (const line of res.headers['set-cookie'] || []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.find((a) => /^\s*max-age=/i.test(a));
      if (value === '' || (maxAge && /=\s*0$/.test(maxAge))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  // Sends one request; resolves to { status, headers, body (string), raw (Buffer) }.
  request(method, path, { body, headers = {} } = {}) {
    const url = new URL(path, BASE);
    const h = { ...headers };
    if (this.jar.size) h.cookie = this.cookieHeader();
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method, headers: h, localAddress: this.localAddress, agent: false,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          this.keepCookies(res);
          const raw = Buffer.concat(chunks);
          const out = { status: res.statusCode, headers: res.headers, raw, body: raw.toString('utf8') };
          this.lastBody = out.body;
          resolve(out);
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path, opts) { return this.request('GET', path, opts); }

  // The CSRF token of the last page seen (every form carries one).
  csrf() {
    const m = this.lastBody.match(/name="csrf" value="([0-9a-f]{64})"/);
    return m ? m[1] : '';
  }

  // Posts fields urlencoded; adds the CSRF token unless fields has one.
  post(path, fields = {}, opts = {}) {
    const all = { csrf: this.csrf(), ...fields };
    const body = Object.entries(all)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return this.request('POST', path, {
      body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
    });
  }

  // Visits path (to get a form and its token) and posts fields to action.
  async submit(path, action, fields) {
    await this.get(path);
    return this.post(action, fields);
  }
}

function randomLoopback() {
  const b = () => 1 + Math.floor(Math.random() * 250);
  return `127.${b()}.${b()}.${b()}`;
}

let seq = 0;
// A fresh, unique email for each test account.
function uniqueEmail(tag = 'user') {
  seq += 1;
  return `${tag}-${process.pid}-${Date.now()}-${seq}@test.example`;
}

async function signUp(client, { name = 'Test User', email = uniqueEmail(), password = 'correct horse battery' } = {}) {
  const res = await client.submit('/signup', '/signup', { name, email, password });
  return { res, name, email, password };
}

module.exports = { Client, BASE, uniqueEmail, signUp };
