// Setup of bench/cluster, through HTTP as people would make it:
//   node bench/cluster.js signup BASE EMAIL PASSWORD
//       signs up (the caller confirms the address in the database)
//   node bench/cluster.js prepare BASE EMAIL PASSWORD SLUG TICKETS
//       signs in, makes the workspace SLUG with TICKETS tickets and 19
//       replies on ticket 1, and prints "COOKIE<tab>CSRF"
'use strict';
const http = require('node:http');

const jar = new Map();
const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
let csrf = '';

function request(base, method, path, fields) {
  const body = fields ? new URLSearchParams({ csrf, ...fields }).toString() : undefined;
  const headers = { cookie: cookies() };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        for (const line of res.headers['set-cookie'] || []) {
          const pair = line.split(';')[0];
          const eq = pair.indexOf('=');
          jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const m = text.match(/name="csrf" value="([0-9a-f]{64})"/);
        if (m) csrf = m[1];
        resolve({ status: res.statusCode, headers: res.headers, body: text });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function submit(base, path, fields, want = 303) {
  await request(base, 'GET', path);
  const res = await request(base, 'POST', path, fields);
  if (res.status !== want) throw new Error(`POST ${path} answered ${res.status}`);
  return res;
}

async function signup(base, email, password) {
  await submit(base, '/signup', { name: 'Bench Agent', email, password });
}

async function prepare(base, email, password, slug, tickets) {
  await submit(base, '/signin', { email, password });
  await submit(base, '/workspaces', { name: `Bench ${slug}`, slug });
  const w = `/w/${slug}`;
  for (let i = 1; i <= Number(tickets); i++) {
    await submit(base, `${w}/tickets/new`, { subject: `Bench ticket ${i}`, body: `Ticket ${i}, made for the scale-out run.` });
  }
  for (let i = 1; i <= 19; i++) {
    await request(base, 'GET', `${w}/tickets/1`);
    const res = await request(base, 'POST', `${w}/tickets/1/comments`, { body: `Reply ${i} on the ticket page's thread.` });
    if (res.status !== 303) throw new Error(`a reply answered ${res.status}`);
  }
  await request(base, 'GET', `${w}/tickets/new`);
  process.stdout.write(`${cookies()}\t${csrf}\n`);
}

const [cmd, ...args] = process.argv.slice(2);
const run = cmd === 'signup' ? signup(...args)
  : cmd === 'prepare' ? prepare(...args)
    : Promise.reject(new Error('usage: see bench/cluster.js'));
run.catch((e) => {
  process.stderr.write(`bench/cluster.js: ${e.message}\n`);
  process.exit(1);
});
