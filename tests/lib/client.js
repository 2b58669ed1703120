// A small HTTP client for the integration tests: a cookie jar per client,
// an optional local address (each 127.x.y.z is a different client to the
// throttle), forms posted as a browser would post them, and the CSRF token
// read from the last page. Built on node:http so nothing is hidden; an
// https:// BASE_URL (tests/tls/run) goes through node:https, trusting the
// certificate in HD_CA_FILE.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8080';

// http.request for an http: URL, https.request for an https: one, with
// the CA of HD_CA_FILE (the TLS test's self-signed certificate) when set.
let ca;
function httpRequest(url, opts, cb) {
  if (url.protocol !== 'https:') return http.request(url, opts, cb);
  if (ca === undefined) ca = process.env.HD_CA_FILE ? fs.readFileSync(process.env.HD_CA_FILE) : null;
  return https.request(url, ca ? { ...opts, ca } : opts, cb);
}

class Client {
  constructor(opts = {}) {
    this.jar = new Map();
    // Each client comes from its own loopback address, so per-address
    // sign-in throttling in one test never trips another.
    this.localAddress = opts.localAddress || randomLoopback();
    // A test's private stack (tests/lib/stack.js) has a base of its own.
    this.base = opts.base || BASE;
    // Where that stack keeps the mail it sent (tests/lib/inbox.js): the
    // shared stack's, unless the client is of a private stack.
    this.stackDir = opts.stackDir || (opts.base ? null : process.env.HD_STACK_DIR || null);
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
    const url = new URL(path, this.base);
    const h = { ...headers };
    if (this.jar.size) h.cookie = this.cookieHeader();
    if (body !== undefined) h['content-length'] = Buffer.byteLength(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, {
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

  // Posts fields and files as multipart/form-data, as a browser does; adds
  // the CSRF token unless fields has one. files: [{ name, filename,
  // contentType, data (Buffer) }].
  postMultipart(path, fields = {}, files = [], opts = {}) {
    const all = { csrf: this.csrf(), ...fields };
    const parts = [];
    for (const [k, v] of Object.entries(all)) {
      parts.push(Buffer.from(`Content-Disposition: form-data; name="${formQuote(k)}"\r\n\r\n`));
      parts.push(Buffer.from(String(v)));
    }
    for (const f of files) {
      parts.push(Buffer.from(`Content-Disposition: form-data; name="${formQuote(f.name)}"`
        + `; filename="${formQuote(f.filename)}"${filenameExt(f.filename)}\r\n`
        + `Content-Type: ${f.contentType || 'application/octet-stream'}\r\n\r\n`));
      parts.push(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data));
    }
    const boundary = freshBoundary(parts);
    const chunks = [];
    for (let i = 0; i < parts.length; i += 2) {
      chunks.push(Buffer.from(`--${boundary}\r\n`), parts[i], parts[i + 1], Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return this.request('POST', path, {
      body: Buffer.concat(chunks),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(opts.headers || {}) },
    });
  }

  // Visits path (to get a form and its token) and posts fields to action.
  async submit(path, action, fields) {
    await this.get(path);
    return this.post(action, fields);
  }
}

// A quoted name or filename as browsers write it (HTML's form encoding):
// '"', CR and LF percent-encoded, the rest as UTF-8. A backslash too,
// which would otherwise start a quoted-pair (RFC 7230) for the server.
function formQuote(s) {
  return String(s).replace(/\\/g, '%5C').replace(/"/g, '%22')
    .replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

// A name the quoted form cannot carry as it is (quotes, backslashes,
// controls) also goes as filename* (RFC 5987), so the server sees exactly
// the given name: hostile names reach the code that must clean them.
function filenameExt(name) {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\x00-\x1f\x7f]/.test(name)) return '';
  const enc = Buffer.from(name, 'utf8').toString('hex').replace(/../g, '%$&').toUpperCase();
  return `; filename*=UTF-8''${enc}`;
}

// A random boundary that occurs in no part.
function freshBoundary(parts) {
  for (;;) {
    const b = `----hdtest${crypto.randomBytes(16).toString('hex')}`;
    if (!parts.some((p) => p.includes(b))) return b;
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

// Signs up through the form and, as a new user would, confirms the
// address with the link in the mail the stack's catcher received (a
// client of the shared stack, HD_STACK_DIR; or one given stackDir). Pass
// confirm: false for an account left unconfirmed; a client of a private
// stack without stackDir leaves it so too.
async function signUp(client, {
  name = 'Test User', email = uniqueEmail(), password = 'correct horse battery', confirm = true,
} = {}) {
  const res = await client.submit('/signup', '/signup', { name, email, password });
  if (confirm && res.status === 303 && client.stackDir) await confirmEmail(client, email);
  return { res, name, email, password };
}

// Opens the newest confirmation link mailed to email and confirms it.
async function confirmEmail(client, email) {
  // Required here: inbox.js uses mail.js, which this file must not need
  // for clients that never read mail.
  const { waitForMail, mailsTo, linkIn } = require('./inbox');
  const before = (await mailsTo(email, client.stackDir)).filter((m) => /Confirm your/.test(m.headers.Subject)).length;
  const mail = await waitForMail(email, { subject: /Confirm your/, count: Math.max(before, 1), dir: client.stackDir });
  const link = linkIn(mail, '/email/confirm/');
  if (!link) throw new Error(`no confirmation link in the mail to ${email}`);
  await client.get(link.pathname);
  const res = await client.post(link.pathname, {});
  if (res.status !== 303 && res.status !== 200) throw new Error(`confirming ${email}: ${res.status}`);
  return res;
}

module.exports = { Client, BASE, uniqueEmail, signUp, confirmEmail, httpRequest };
