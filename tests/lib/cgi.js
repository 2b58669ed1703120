// Runs one of our programs as plain CGI (the shared-hosting mode): the
// request in environment variables and standard input, the response on
// standard output. Used to test CGI mode itself and settings that need a
// different environment (HTTPS, argon2 costs) without a second stack.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.HD_BIN || path.join(ROOT, 'build', 'bin');

function cgi(program, { method = 'GET', uri = '/', body = '', cookie, env = {}, contentType } = {}) {
  const [p, qs = ''] = uri.split('?');
  const e = {
    PATH: process.env.PATH,
    HELPDESK_CONFIG: path.join(process.env.HD_STACK_DIR, 'helpdesk.conf'),
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: method,
    REQUEST_URI: uri,
    SCRIPT_NAME: p,
    QUERY_STRING: qs,
    REMOTE_ADDR: '127.9.9.9',
    SERVER_PROTOCOL: 'HTTP/1.1',
    ...env,
  };
  if (body) {
    e.CONTENT_LENGTH = String(Buffer.byteLength(body));
    e.CONTENT_TYPE = contentType || 'application/x-www-form-urlencoded';
  }
  if (cookie) e.HTTP_COOKIE = cookie;
  const r = spawnSync(path.join(BIN, program), [], { env: e, input: body, encoding: 'latin1' });
  const out = r.stdout || '';
  const split = out.indexOf('\r\n\r\n');
  const head = out.slice(0, split).split('\r\n');
  const headers = {};
  for (const line of head) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).toLowerCase();
    const v = line.slice(i + 1).trim();
    if (k === 'set-cookie') (headers[k] = headers[k] || []).push(v);
    else headers[k] = v;
  }
  const status = parseInt((headers.status || '200').split(' ')[0], 10);
  const raw = Buffer.from(out.slice(split + 4), 'latin1');
  return { status, headers, raw, body: raw.toString('utf8'), stderr: r.stderr, code: r.status };
}

module.exports = { cgi };
