// 10,000 mixed requests (pages, forms, uploads, downloads, searches and
// every kind of refusal) against the ASan/UBSan build. When the stack
// stops, each worker runs LeakSanitizer; tests/run fails the suite on any
// report in the programs' log. Here: every answer is an expected one.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

const TOTAL = Number(process.env.LEAK_REQUESTS || 10000);
const PARALLEL = Number(process.env.LEAK_PARALLEL || 8);

test(`${TOTAL} mixed requests get the answers they should`, async () => {
  const W = await workspaceWithMembers();
  const S = `/w/${W.slug}`;
  await W.requester.get(`${S}/tickets/new`);
  const file = { name: 'files', filename: 'log.txt', contentType: 'text/plain', data: Buffer.alloc(50000, 'x') };
  const made = await W.requester.postMultipart(`${S}/tickets/new`, { subject: 'Leak check', body: 'x' }, [file]);
  const num = made.headers.location.match(/(\d+)$/)[1];
  const page = (await W.agent.get(`${S}/tickets/${num}`)).body;
  const fileUrl = page.match(/href="(\/w\/[^"]+\/attachments\/\d+)"/)[1];
  const agentToken = W.agent.csrf();
  await W.requester.get(`${S}/tickets/${num}`);
  const reqToken = W.requester.csrf();
  const anon = new Client();
  await anon.get('/signin');
  const anonToken = anon.csrf();

  // Each kind of request with the status it must get.
  const kinds = [
    [() => anon.get('/signin'), 200],
    [() => anon.get('/healthz'), 200],
    [() => anon.get('/static/app.css'), 200],
    [() => anon.get('/no/such/page'), 404],
    [() => anon.get('/signin?x=%FF'), 400],
    // Refused, and soon throttled (per account and address).
    [() => anon.post('/signin', { csrf: anonToken, email: 'nobody@test.example', password: 'wrong password' }), [400, 429]],
    [() => anon.post('/signin', { csrf: 'x', email: 'a@b.example', password: 'y' }), 403],
    [() => anon.request('PUT', '/signin'), 405],
    [() => W.agent.get(`${S}/tickets`), 200],
    [() => W.agent.get(`${S}/tickets?status=new&sort=priority`), 200],
    [() => W.agent.get(`${S}/tickets?q=leak+check`), 200],
    [() => W.agent.get(`${S}/tickets/${num}`), 200],
    [() => W.agent.post(`${S}/tickets/${num}/comments`, { csrf: agentToken, body: 'a reply' }), 303],
    [() => W.agent.post(`${S}/tickets/${num}/comments`, { csrf: agentToken, body: 'a note', internal: '1' }), 303],
    [() => W.agent.post(`${S}/tickets/${num}/comments`, { csrf: agentToken, body: '' }), 400],
    [() => W.agent.get(fileUrl), 200],
    [() => W.requester.get(`${S}/tickets`), 200],
    [() => W.requester.post(`${S}/tickets/new`, { csrf: reqToken, subject: 'more', body: 'text' }), 303],
    [() => W.requester.postMultipart(`${S}/tickets/${num}/comments`, { csrf: reqToken, body: 'with a file' }, [file]), 303],
    [() => W.requester.post(`${S}/tickets/${num}/comments`, { csrf: reqToken, body: 'n', internal: '1' }), 403],
    [() => W.admin.get(`${S}/admin/members`), 200],
    [() => W.admin.get(`${S}/admin/audit`), 200],
    [() => W.outsider.get(`${S}/tickets/${num}`), 404],
    [() => W.agent.get('/account'), 200],
    [() => W.agent.get('/workspaces'), 200],
  ];
  let next = 0;
  const wrong = [];
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    for (let i = next++; i < TOTAL; i = next++) {
      const [run, want] = kinds[i % kinds.length];
      const res = await run();
      if (![want].flat().includes(res.status)) wrong.push(`${i % kinds.length}: ${res.status} != ${want}`);
    }
  }));
  // On one line, with the programs' last errors: CI shows only this.
  let errors = '';
  if (wrong.length && process.env.HD_STACK_DIR) {
    const log = fs.readFileSync(path.join(process.env.HD_STACK_DIR, 'log/app.log'), 'utf8');
    errors = log.split('\n').filter((l) => / (error|warn) /.test(l)).slice(-5).join(' | ');
  }
  assert.equal(wrong.length, 0,
    `${wrong.length} wrong answers (kind: status != wanted), first: ${wrong.slice(0, 10).join('; ')}; log: ${errors}`);
});
