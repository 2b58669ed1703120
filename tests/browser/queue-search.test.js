// The queue and the ticket page on a phone and a laptop (issue 13),
// JavaScript off: at 390x844 the filters fold behind "Filters" so the
// first tickets are on the first screen, and on the ticket page the
// triage form comes before the thread; at 1280 px the filters are all
// shown and the ticket's facts and triage are a column beside the
// thread. Nothing scrolls sideways; screenshots of each.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q, reindex } = require('../lib/db');

const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 900 };

// Where an element is, and whether it is rendered at all (a closed
// details' content keeps a layout box: checkVisibility says it is hidden).
const box = (page, sel) => page.evaluate((s) => {
  const e = document.querySelector(s);
  if (!e) return null;
  const b = e.getBoundingClientRect();
  return { top: b.top + window.scrollY, left: b.left, right: b.right, bottom: b.bottom + window.scrollY,
    shown: e.checkVisibility({ contentVisibilityAuto: true }) && b.width > 0 && b.height > 0 };
}, sel);

let W;
let num;	// a ticket with a thread

test.before(async () => {
  W = await workspaceWithMembers();
  const [[ws]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`);
  sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, priority, requester_id,
      created_at, updated_at, public_updated_at)
    SELECT ${ws}, seq, CONCAT('Invoice question number ', seq), 'body', 2, 1 + seq % 4,
      ${W.users.requester.id}, NOW() - INTERVAL seq HOUR, NOW() - INTERVAL seq HOUR,
      NOW() - INTERVAL seq HOUR FROM seq_1_to_40`);
  sql(`INSERT INTO ticket_counts (workspace_id, status, n) VALUES (${ws}, 2, 40)`);
  sql(`UPDATE workspaces SET next_number = 41 WHERE id = ${ws}`);
  reindex(W.slug);
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const made = await W.requester.post(`/w/${W.slug}/tickets/new`, {
    subject: 'The invoice PDF will not open on my phone',
    body: 'When I tap the invoice link the page stays blank.\n\nI tried twice.',
  });
  assert.equal(made.status, 303);
  num = Number(made.headers.location.match(/(\d+)$/)[1]);
  sql(`UPDATE tickets SET tags = 'billing,invoice' WHERE workspace_id = ${ws} AND number = ${num}`);
  for (const [c, body] of [[W.agent, 'Which phone and browser is it?'],
    [W.requester, 'An Android phone, in Chrome.'],
    [W.agent, 'Thank you. We found the cause and are fixing it.']]) {
    const res = await c.submit(`/w/${W.slug}/tickets/${num}`, `/w/${W.slug}/tickets/${num}/comments`, { body });
    assert.equal(res.status, 303);
  }
});

test('the queue: tickets on a phone\'s first screen, the filters folded, all shown wide', async () => {
  const { browser, close } = await launch();
  try {
    const page = await (await contextAs(browser, BASE, W.agent)).newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${BASE}/w/${W.slug}/tickets`);
    const first = await box(page, 'table.queue tbody tr');
    assert.ok(first.bottom <= PHONE.height, `the first ticket is on the first screen (ends at ${first.bottom} px)`);
    assert.equal((await box(page, '#status')).shown, false, 'the filters are folded');
    assert.ok((await box(page, '#q')).shown, 'the search box is not');
    assert.ok((await box(page, 'details.fold > summary')).shown);
    await shots(page, 'queue');

    // Wide: every filter shown without opening anything.
    await page.setViewportSize(WIDE);
    assert.ok((await box(page, '#status')).shown, 'the filters are shown on a wide screen');
    assert.equal((await box(page, 'details.fold > summary')).shown, false);

    // A search: marked words, a count, clear filters, pages.
    await page.setViewportSize(PHONE);
    await page.goto(`${BASE}/w/${W.slug}/tickets?q=invoice`);
    assert.ok((await box(page, 'table.queue tbody tr')).bottom <= PHONE.height, 'search results on the first screen');
    assert.equal(await page.textContent('#result-count'), '41 tickets');
    assert.ok((await page.$$('table.queue mark')).length >= 25);
    await shots(page, 'queue-search');
    // Filters used: open, saying how many; pages keep them.
    await page.goto(`${BASE}/w/${W.slug}/tickets?status=open&priority=low`);
    assert.equal((await page.textContent('details.fold > summary')).trim(), 'Filters (2 active)');
    assert.ok((await box(page, '#status')).shown, 'open when filters apply');
    assert.ok((await box(page, 'table.queue tbody tr')).top < PHONE.height, 'and a ticket still starts on the first screen');
    await page.goto(`${BASE}/w/${W.slug}/tickets?sort=created`);
    await page.click('a[rel="next"]');
    assert.ok((await page.$('a[rel="prev"]')) && (await page.$('text=First page')), 'a second page links back');
    await shots(page, 'queue-page2');
  } finally {
    await close();
  }
});

test('the ticket page: triage before the thread on a phone, beside it wide', async () => {
  const { browser, close } = await launch();
  try {
    const page = await (await contextAs(browser, BASE, W.agent)).newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${BASE}/w/${W.slug}/tickets/${num}`);
    const triage = await box(page, '.triage-fold > summary');
    const thread = await box(page, '#opening');
    assert.ok(triage.shown && triage.bottom <= PHONE.height, `triage on the first screen (ends at ${triage.bottom} px)`);
    assert.ok(triage.bottom <= thread.top, 'triage before the thread');
    // Opened, the form is there, status first; the reply stays last.
    await page.click('.triage-fold > summary');
    assert.ok((await box(page, '#t-status')).shown);
    // Folded, the form's facts are listed above it, tags each on its own.
    assert.ok((await box(page, 'dl.facts')).shown, 'the facts listed on a phone');
    assert.deepEqual(await page.$$eval('dl.facts ul.tags li', (l) => l.map((e) => e.textContent)), ['billing', 'invoice']);
    assert.ok((await box(page, 'form.reply')).top > (await box(page, '#opening')).top, 'the reply after the thread');
    await shots(page, 'ticket');

    await page.setViewportSize(WIDE);
    await page.goto(`${BASE}/w/${W.slug}/tickets/${num}`);
    const side = await box(page, 'aside.side-col');
    const main = await box(page, 'section.main-col');
    assert.ok(side.left >= main.right, 'the facts and triage are a column on the right');
    assert.ok((await box(page, '#t-status')).shown, 'the triage form is shown unfolded');
    // ... so the facts it edits are not said twice above it.
    assert.equal((await box(page, 'dl.facts')).shown, false, 'status, priority, assignee once, in the form');
    assert.ok((await box(page, 'aside dl:not(.facts)')).shown, 'requester and time still listed');
    assert.ok(side.top <= (await box(page, '.t-head h1')).bottom, 'the column starts beside the heading');
  } finally {
    await close();
  }
});
