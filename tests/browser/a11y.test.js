// Accessibility in a real browser, JavaScript off (issue 13): the skip
// link is the first thing Tab reaches and takes the focus to the page's
// content; the navigation marks the current page; a refused form marks
// its fields, links them from a summary that has the focus on load; the
// favicon answers; statuses and priorities have distinct colours with
// enough contrast. Screenshots of a ticket and a refused form at both
// widths (shots, tests/lib/browser.js).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

// WCAG's contrast ratio of two computed colours ("rgb(r, g, b)").
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('skip link, current page, favicon', async () => {
  const W = await workspaceWithMembers();
  const { browser, close } = await launch();
  try {
    const ctx = await contextAs(browser, BASE, W.admin);
    const page = await ctx.newPage();
    await page.goto(`${BASE}/w/${W.slug}/tickets`);

    // The first Tab lands on the skip link, which shows when focused.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { text: a.textContent, href: a.getAttribute('href'), top: r.top, h: r.height };
    });
    assert.equal(skip.text, 'Skip to content');
    assert.equal(skip.href, '#main');
    assert.ok(skip.top >= 0 && skip.h > 0, `the focused skip link is on screen (${skip.top})`);
    // Enter follows it: the focus is on <main>, and the next Tab goes on
    // from there (the page's own first link, not the header's).
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)),
      'Tab after the skip link stays in main');

    // The current page in the workspace navigation: marked, and bold.
    const cur = page.locator('nav [aria-current="page"]');
    assert.equal(await cur.count(), 1);
    assert.equal(await cur.textContent(), 'Tickets');
    const weight = (loc) => loc.evaluate((e) => getComputedStyle(e).fontWeight);
    assert.equal(await weight(cur), '700');
    assert.equal(await weight(page.locator('.ws-nav a', { hasText: 'New ticket' })), '400');
    await page.goto(`${BASE}/account`);
    assert.equal(await page.locator('.top nav [aria-current="page"]').textContent(), W.users.admin.name);

    // The favicon the page links, and /favicon.ico for those that do not
    // read the link.
    const icon = await page.locator('link[rel=icon]').getAttribute('href');
    for (const [path, type] of [[icon, 'image/svg+xml'], ['/favicon.ico', 'image/']]) {
      const res = await ctx.request.get(`${BASE}${path}`);
      assert.equal(res.status(), 200, path);
      assert.ok(res.headers()['content-type'].startsWith(type), `${path}: ${res.headers()['content-type']}`);
    }
    await ctx.close();
  } finally {
    await close();
  }
});

test('a refused form: fields marked and described, the summary focused', async () => {
  const { browser, close } = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/signup`);
    await page.fill('#name', 'Ann');
    await page.fill('#email', 'not-an-address');
    await page.fill('#password', 'short');
    await page.click('main button[type=submit]');
    assert.match(await page.title(), /^Sign up · /);

    // The summary has the focus, with no script: autofocus on tabindex=-1.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary');
    for (const f of ['email', 'password']) {
      const input = page.locator(`#${f}`);
      assert.equal(await input.getAttribute('aria-invalid'), 'true', f);
      const by = await input.getAttribute('aria-describedby');
      const msg = await page.locator(`#${by}`).textContent();
      assert.ok(msg.length > 5, `${f} is described by its message`);
      // The summary repeats the message and links to the field.
      assert.equal(await page.locator(`#error-summary a[href="#${f}"]`).textContent(), msg);
    }
    assert.equal(await page.locator('#name').getAttribute('aria-invalid'), null);
    await shots(page, 'a11y-form-error');
    // Following a summary link puts the focus in the field.
    await page.click('#error-summary a[href="#email"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
    await ctx.close();
  } finally {
    await close();
  }
});

test('statuses and priorities: distinct colours, AA contrast, the word stays', async () => {
  const W = await workspaceWithMembers();
  const created = await W.requester.submit(`/w/${W.slug}/tickets/new`, `/w/${W.slug}/tickets/new`,
    { subject: 'Invoice PDF will not open', body: 'Acrobat says the file is **damaged**.' });
  assert.equal(created.status, 303);
  const url = `${BASE}${new URL(created.headers.location, BASE).pathname}`;
  const { browser, close } = await launch();
  try {
    const ctx = await contextAs(browser, BASE, W.agent);
    const page = await ctx.newPage();
    await page.goto(url);
    await page.selectOption('#t-priority', 'urgent');
    await page.selectOption('#t-status', 'open');
    await page.click('form.triage button[type=submit]');
    const prio = page.locator('.side-col .badge.prio-urgent');
    assert.equal(await prio.textContent(), 'urgent');
    assert.equal(await prio.evaluate((e) => getComputedStyle(e).fontWeight), '700');
    await shots(page, 'a11y-ticket');

    // Every status and priority badge, as the stylesheet draws it.
    const styles = await page.evaluate(() => {
      const out = {};
      for (const cls of ['status-new', 'status-open', 'status-pending', 'status-solved',
        'status-closed', 'prio-low', 'prio-normal', 'prio-high', 'prio-urgent']) {
        const s = document.createElement('span');
        s.className = `badge ${cls}`;
        s.textContent = cls;
        document.querySelector('main').append(s);
        const cs = getComputedStyle(s);
        out[cls] = { fg: cs.color, bg: cs.backgroundColor };
        s.remove();
      }
      return out;
    });
    const statuses = ['new', 'open', 'pending', 'solved', 'closed'].map((s) => styles[`status-${s}`]);
    assert.equal(new Set(statuses.map((s) => s.bg)).size, 5, 'five statuses, five colours');
    for (const [cls, { fg, bg }] of Object.entries(styles)) {
      assert.ok(contrast(fg, bg) >= 4.5, `${cls}: ${fg} on ${bg} is ${contrast(fg, bg).toFixed(2)}:1`);
    }
    for (const p of ['high', 'urgent']) {
      assert.notEqual(styles[`prio-${p}`].bg, styles['prio-normal'].bg, `${p} stands out from normal`);
    }

    // The queue shows both, as words in badges.
    await page.goto(`${BASE}/w/${W.slug}/tickets`);
    const row = page.locator('tr', { hasText: 'Invoice PDF will not open' });
    assert.equal(await row.locator('.badge.status-open').textContent(), 'open');
    assert.equal(await row.locator('.badge.prio-urgent').textContent(), 'urgent');
    await ctx.close();
  } finally {
    await close();
  }
});
