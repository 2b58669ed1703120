// HTTP helper of bench/run (node, no packages):
//
//   node bench/http.js signin BASE EMAIL PASSWORD PAGE
//       signs in and prints "COOKIE<tab>CSRF": the Cookie header of the
//       session and the CSRF token of its forms, read from PAGE
//   node bench/http.js probe BASE PATH COOKIE N [BODY_FILE CONTENT_TYPE]
//       sends the request N times, one after another (a POST of the body
//       in BODY_FILE when given), and prints "STATUS BYTES MS": the status
//       of the last one (or the first unexpected one), its size with
//       headers, and the median time in ms (fewer than N when they take
//       seconds)
'use strict';
const fs = require('node:fs');
const http = require('node:http');

function request(base, method, path, headers, body) {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`;
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
        }
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: raw.toString('utf8'),
          size: Buffer.byteLength(head) + 2 + raw.length,
          ms: Number(process.hrtime.bigint() - t0) / 1e6,
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const jar = new Map();
function keep(res) {
  for (const line of res.headers['set-cookie'] || []) {
    const pair = line.split(';')[0];
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const csrfOf = (html) => {
  const m = html.match(/name="csrf" value="([0-9a-f]{64})"/);
  return m ? m[1] : '';
};

async function signin(base, email, password, page) {
  let res = await request(base, 'GET', '/signin', {});
  keep(res);
  const form = new URLSearchParams({ csrf: csrfOf(res.body), email, password }).toString();
  res = await request(base, 'POST', '/signin', {
    cookie: cookies(),
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(form),
  }, form);
  keep(res);
  if (res.status !== 303 || !jar.has('hd_session')) {
    throw new Error(`sign-in as ${email} answered ${res.status}`);
  }
  res = await request(base, 'GET', page, { cookie: cookies() });
  if (res.status !== 200) throw new Error(`${page} answered ${res.status}`);
  const csrf = csrfOf(res.body);
  if (!csrf) throw new Error(`${page} has no CSRF token`);
  process.stdout.write(`${cookies()}\t${csrf}\n`);
}

async function probe(base, path, cookie, n, bodyFile, contentType) {
  const headers = {};
  let body;
  let method = 'GET';
  if (cookie) headers.cookie = cookie;
  if (bodyFile) {
    method = 'POST';
    body = fs.readFileSync(bodyFile);
    headers['content-type'] = contentType;
    headers['content-length'] = body.length;
  }
  const want = method === 'POST' ? 303 : 200;
  const times = [];
  let last;
  for (let i = 0; i < n; i++) {
    last = await request(base, method, path, headers, body);
    times.push(last.ms);
    if (last.status !== want) break;
    // A page of seconds: three are enough for a median.
    if (i >= 2 && times.reduce((a, b) => a + b, 0) > 3000) break;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  process.stdout.write(`${last.status} ${last.size} ${median.toFixed(2)}\n`);
}

const [cmd, ...args] = process.argv.slice(2);
const run = cmd === 'signin' ? signin(...args)
  : cmd === 'probe' ? probe(args[0], args[1], args[2], Number(args[3]), args[4], args[5])
    : Promise.reject(new Error('usage: see bench/http.js'));
run.catch((e) => {
  process.stderr.write(`bench/http.js: ${e.message}\n`);
  process.exit(1);
});
