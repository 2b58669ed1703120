// The queue on a phone (issue 13): at 390 px each ticket is a card, so its
// status, priority, people and time are on screen without scrolling the
// table sideways; at 1280 px it stays a table. JavaScript off.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

test('at 390 px the queue is cards with everything on screen; at 1280 px a table', async () => {
  const W = await workspaceWithMembers();
  for (const subject of ['Printer on fire', 'A subject long enough to wrap onto a second line on a phone']) {
    await W.requester.get(`/w/${W.slug}/tickets/new`);
    const res = await W.requester.post(`/w/${W.slug}/tickets/new`, { subject, body: 'It smokes.' });
    assert.equal(res.status, 303);
  }
  const { browser, close } = await launch();
  try {
    const ctx = await contextAs(browser, BASE, W.agent);
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${BASE}/w/${W.slug}/tickets`);
    const phone = await page.evaluate(() => {
      const t = document.querySelector('table.queue');
      const rows = [...t.querySelectorAll('tbody tr')];
      return {
        scroll: t.scrollWidth - t.clientWidth,
        display: getComputedStyle(rows[0]).display,
        // Every cell of every row lies within the viewport's width.
        off: rows.flatMap((r) => [...r.cells]).filter((c) => {
          const b = c.getBoundingClientRect();
          return b.left < 0 || b.right > window.innerWidth;
        }).map((c) => c.textContent.trim()),
        labels: [...rows[0].cells].map((c) => getComputedStyle(c, '::before').content),
      };
    });
    assert.equal(phone.scroll, 0, 'the table does not scroll sideways');
    assert.equal(phone.display, 'flex', 'each row is a card');
    assert.deepEqual(phone.off, [], 'no cell off screen');
    assert.ok(phone.labels.includes('"Requester: "') && phone.labels.includes('"Updated: "'),
      `people and time are labelled (${phone.labels})`);
    await shots(page, 'queue-phone');

    await page.setViewportSize({ width: 1280, height: 900 });
    const wide = await page.evaluate(() => getComputedStyle(document.querySelector('table.queue tbody tr')).display);
    assert.equal(wide, 'table-row', 'a table on a wide screen');
  } finally {
    await close();
  }
});
