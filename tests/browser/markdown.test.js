// Markdown on the ticket page (issue 13): GitHub's tables, task lists and
// strikethrough render through cmark-gfm, and app.css styles them: code
// in a monospace face on a tint, a code block whose 300-character line
// scrolls inside the block, a quote with a rule, a table with borders, a
// task list with disabled checkboxes in place of bullets. At 390 px and at
// 1280 px the page is exactly as wide as the viewport, and axe-core finds
// nothing. Screenshots: HD_SHOTS (tests/screenshots/ by default).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { launch, shots, contextAs } = require('../lib/browser');
const { BASE } = require('../lib/client');
const { workspaceWithMembers } = require('../lib/fixtures');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

const LONG = `curl -s https://api.example.com/v2/orders?status=failed&since=2026-11-30T09:40:00Z${'&expand=payment'.repeat(14)}`;

// What a customer pastes: every construct the stylesheet styles.
const BODY = [
  'Checkout fails on **Safari 17** since the `4.12.0` release.',
  '',
  '```',
  LONG,
  'exit 1',
  '```',
  '',
  '> We cleared the cache and signed in again.',
  '> It did not help.',
  '',
  '| Browser | Version | Works? |',
  '|---------|:-------:|-------:|',
  '| Safari  | 17.1    | no     |',
  '| Chrome  | 119     | yes    |',
  '',
  '- [x] Checked the status page',
  '- [ ] Rolled back the release',
  '',
  'The ~~old~~ new notes: www.example.com/releases',
  '',
  `Logs: https://logs.example.com/${'a1b2c3d4'.repeat(12)}`,
  '',
  `| ${['Order', 'Customer', 'Card', 'Amount', 'Currency', 'Created', 'Failed', 'Gateway'].join(' | ')} |`,
  `|${'---|'.repeat(8)}`,
  `| ${['2026-11-30-00417', 'Maria Lopez', 'Visa 4242', '129.90', 'EUR', '09:43:12', '09:43:15', 'stripe-eu-west'].join(' | ')} |`,
].join('\n');

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const found = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`)), TAGS);
  return found;
}

// What the page's Markdown looks like, measured in the browser.
function measure() {
  const md = document.querySelector('#opening .md');
  const css = (sel, prop) => getComputedStyle(md.querySelector(sel))[prop];
  const pre = md.querySelector('pre');
  const [table, wide] = md.querySelectorAll('table');
  const boxes = [pre, table, wide, ...md.querySelectorAll('input')].map((e) => e.getBoundingClientRect());
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    preOverflowX: getComputedStyle(pre).overflowX,
    preScrolls: pre.scrollWidth > pre.clientWidth + 100,
    wideScrolls: wide.scrollWidth > wide.clientWidth,
    focusable: [pre.tabIndex, table.tabIndex],
    inViewport: boxes.every((b) => b.left >= 0 && b.right <= window.innerWidth),
    codeFont: css('code', 'fontFamily'),
    codeBackground: css('p code', 'backgroundColor'),
    quoteRule: `${css('blockquote', 'borderLeftWidth')} ${css('blockquote', 'borderLeftStyle')}`,
    cellBorder: `${css('td', 'borderTopWidth')} ${css('td', 'borderTopStyle')}`,
    aligned: [...table.rows[1].cells].map((c) => getComputedStyle(c).textAlign),
    taskBullet: css('li', 'listStyleType'),
    boxes: [...md.querySelectorAll('li > label > input')].map((i) => [i.type, i.disabled, i.checked]),
    struck: css('del', 'textDecorationLine'),
    autolink: md.querySelector('a[href="http://www.example.com/releases"]') !== null,
  };
}

test('a ticket with code, a quote, a table and a task list: styled, no page overflow, axe clean', async () => {
  const W = await workspaceWithMembers();
  await W.requester.get(`/w/${W.slug}/tickets/new`);
  const res = await W.requester.post(`/w/${W.slug}/tickets/new`, { subject: 'Checkout fails on Safari', body: BODY });
  assert.equal(res.status, 303);
  const ticket = new URL(res.headers.location, BASE).pathname;

  const { browser, close } = await launch();
  try {
    const ctx = await contextAs(browser, BASE, W.agent);
    const page = await ctx.newPage();
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${BASE}${ticket}`);
      const m = await page.evaluate(measure);
      assert.equal(m.overflow, 0, `the page is as wide as the viewport at ${width} px`);
      assert.equal(m.preOverflowX, 'auto');
      assert.ok(m.preScrolls, `the 300-character line scrolls inside its block at ${width} px`);
      assert.ok(m.inViewport, `the code block, tables and checkboxes are on screen at ${width} px`);
      if (width === 390) assert.ok(m.wideScrolls, 'the eight-column table scrolls inside itself on a phone');
      assert.deepEqual(m.focusable, [0, 0], 'what may scroll is reachable by keyboard');
      assert.match(m.codeFont, /monospace/);
      assert.notEqual(m.codeBackground, 'rgba(0, 0, 0, 0)', 'inline code has a tint');
      assert.equal(m.quoteRule, '4px solid');
      assert.equal(m.cellBorder, '1px solid');
      assert.deepEqual(m.aligned, ['left', 'center', 'right'], 'column alignment kept');
      assert.equal(m.taskBullet, 'none');
      assert.deepEqual(m.boxes, [['checkbox', true, true], ['checkbox', true, false]]);
      assert.match(m.struck, /line-through/);
      assert.ok(m.autolink, 'a bare www. address is a link');
    }
    await shots(page, 'markdown-ticket');

    // axe needs its script in the page: a context that bypasses the CSP.
    const actx = await browser.newContext({ bypassCSP: true });
    await actx.addCookies(await ctx.cookies());
    const apage = await actx.newPage();
    for (const width of [390, 1280]) {
      await apage.setViewportSize({ width, height: 900 });
      await apage.goto(`${BASE}${ticket}`);
      assert.deepEqual(await axeViolations(apage), [], `axe at ${width} px`);
    }
  } finally {
    await close();
  }
});
