// The queue and search (issue 13): first, previous and next pages by
// keyset with every filter kept in the links; a result count that is
// exact up to queue_count_max (1,000 by default) and "More than 1,000"
// beyond (exact at any size from the kept counts, and for a search,
// counted with its page); matched words marked in the subject and a
// snippet of the text, which stay escaped; "Clear filters"; a person's default view when the queue is
// opened bare.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q, reindex } = require('../lib/db');

let W;
let ws;		// the workspace's id
const T = (path = '') => `/w/${W.slug}/tickets${path}`;
const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
// The href of the pager's link with this text, or null.
function link(html, text) {
  const nav = html.match(/<nav class="pager"[^>]*>([\s\S]*?)<\/nav>/);
  if (!nav) return null;
  const m = nav[1].match(new RegExp(`<a href="([^"]*)"[^>]*>${text}</a>`));
  return m ? unescape(m[1]) : null;
}
const count = (html) => (html.match(/<span id="result-count">([^<]*)<\/span>/) || [])[1];
const clearLink = (html) => {
  const m = html.match(/<a href="([^"]*)" class="clear">Clear filters<\/a>/);
  return m ? unescape(m[1]) : null;
};
async function page(client, path) {
  const res = await client.get(path);
  assert.equal(res.status, 200, path);
  return res.body;
}
const range = (from, to) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

// n tickets numbered from first, status st, requested by the requester,
// updated one minute apart (the highest number most recently), priority
// cycling low..urgent; the kept counts follow.
function insert(first, n, st) {
  sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, priority, requester_id,
      created_at, updated_at, public_updated_at)
    SELECT ${ws}, ${first - 1} + seq, CONCAT('Bulk ticket ', ${first - 1} + seq), 'body', ${st},
      1 + seq % 4, ${W.users.requester.id},
      NOW() - INTERVAL (100000 - seq) MINUTE - INTERVAL ${first} HOUR,
      NOW() - INTERVAL (100000 - seq) MINUTE - INTERVAL ${first} HOUR,
      NOW() - INTERVAL (100000 - seq) MINUTE - INTERVAL ${first} HOUR
    FROM seq_1_to_${n}`);
  sql(`INSERT INTO ticket_counts (workspace_id, status, n) VALUES (${ws}, ${st}, ${n})
    ON DUPLICATE KEY UPDATE n = n + ${n}`);
  sql(`UPDATE workspaces SET next_number = ${first + n} WHERE id = ${ws}`);
  reindex(W.slug);
}

test.before(async () => {
  W = await workspaceWithMembers();
  [[ws]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`);
  // 1-60 open (the three pages), 61-65 new, 66-1066 pending (past the
  // count's bound).
  insert(1, 60, 2);
  insert(61, 5, 1);
  insert(66, 1001, 3);
});

test('first, previous and next pages keep every filter', async () => {
  for (const sort of ['updated', 'created', 'priority']) {
    const base = T(`?status=open&assignee=none&sort=${sort}`);
    const p1 = await page(W.agent, base);
    const n1 = numbers(p1);
    assert.equal(n1.length, 25, sort);
    if (sort !== 'priority') assert.deepEqual(n1, range(60, 36), sort);
    // The first page has no way back.
    assert.equal(link(p1, 'Previous page'), null);
    assert.equal(link(p1, 'First page'), null);
    const next1 = link(p1, 'Next page');
    for (const kept of ['status=open', 'assignee=none', `sort=${sort}`]) assert.ok(next1.includes(kept), `${next1} keeps ${kept}`);

    const p2 = await page(W.agent, next1);
    const n2 = numbers(p2);
    assert.equal(n2.length, 25);
    if (sort !== 'priority') assert.deepEqual(n2, range(35, 11), sort);
    const p3 = await page(W.agent, link(p2, 'Next page'));
    const n3 = numbers(p3);
    assert.equal(n3.length, 10);
    // Every ticket once, none twice.
    assert.deepEqual([...n1, ...n2, ...n3].sort((a, b) => a - b), range(60, 1).reverse(), sort);
    assert.equal(link(p3, 'Next page'), null);

    // Back: page 3 to 2 to 1, each the very same page.
    const prev3 = link(p3, 'Previous page');
    assert.match(prev3, /[?&]before=/);
    for (const kept of ['status=open', 'assignee=none', `sort=${sort}`]) assert.ok(prev3.includes(kept), `${prev3} keeps ${kept}`);
    const back2 = await page(W.agent, prev3);
    assert.deepEqual(numbers(back2), n2, sort);
    assert.ok(link(back2, 'Next page'), 'a page before another has a next page');
    const back1 = await page(W.agent, link(back2, 'Previous page'));
    assert.deepEqual(numbers(back1), n1, sort);
    assert.equal(link(back1, 'Previous page'), null, 'back on the first page: no previous');

    // First page from page 3: the filters without a cursor.
    const first = link(p3, 'First page');
    assert.doesNotMatch(first, /after=|before=/);
    assert.deepEqual(numbers(await page(W.agent, first)), n1);
  }
});

test('a page before a cursor with less than a page left is the first page', async () => {
  // Before ticket 50 (the 11th of the first page) are 10 tickets only.
  const [[upd]] = sql(`SELECT UNIX_TIMESTAMP(updated_at) FROM tickets WHERE workspace_id = ${ws} AND number = 50`);
  const [[id]] = sql(`SELECT id FROM tickets WHERE workspace_id = ${ws} AND number = 50`);
  const body = await page(W.agent, T(`?status=open&before=${upd}.${id}`));
  assert.deepEqual(numbers(body), range(60, 36));
  assert.equal(link(body, 'Previous page'), null);
  // A forged cursor is no error.
  assert.deepEqual(numbers(await page(W.agent, T('?status=open&before=x.y'))), range(60, 36));
  // After the last row: nothing, and the way back to the first page.
  const past = await page(W.agent, T('?status=open&after=1.1'));
  assert.deepEqual(numbers(past), []);
  assert.equal(link(past, 'First page'), T('?status=open'));
  assert.equal(link(past, 'Previous page'), null);
});

test('the count is exact up to 1,000 and "more than" beyond', async () => {
  // Counted through the queue's indexes (a filter besides status).
  assert.equal(count(await page(W.agent, T('?status=open&assignee=none'))), '60 tickets');
  assert.equal(count(await page(W.agent, T('?status=open&assignee=none&sort=created'))), '60 tickets');
  assert.equal(count(await page(W.agent, T('?status=pending&assignee=none'))), 'More than 1,000 tickets');
  assert.equal(count(await page(W.agent, T('?assignee=none'))), 'More than 1,000 tickets');
  // An agent's queue, whole or of one status, from the kept counts: exact.
  assert.equal(count(await page(W.agent, T('?status=pending'))), '1,001 tickets');
  assert.equal(count(await page(W.agent, T('?status=new'))), '5 tickets');
  assert.equal(count(await page(W.agent, T())), '1,066 tickets');
  // The cursor does not change the count.
  const p2 = link(await page(W.agent, T('?status=open&assignee=none')), 'Next page');
  assert.equal(count(await page(W.agent, p2)), '60 tickets');
  // Nothing matches; one matches.
  assert.equal(count(await page(W.agent, T('?status=solved&assignee=none'))), '0 tickets');
  assert.equal(count(await page(W.agent, T('?q=%2361'))), '1 ticket');
  // A requester's own tickets: counted the same way, by what they see.
  assert.equal(count(await page(W.requester, T('?status=open'))), '60 tickets');
  assert.equal(count(await page(W.requester, T())), 'More than 1,000 tickets');
});

test('search: matched words marked, the subject still escaped, counted', async () => {
  await W.requester.get(T('/new'));
  const made = await W.requester.post(T('/new'), {
    subject: 'Quokka <script>alert(1)</script> invoices',
    body: 'The invoices page is blank.',
  });
  assert.equal(made.status, 303);
  const num = Number(made.headers.location.match(/(\d+)$/)[1]);
  const body = await page(W.agent, T('?q=quok+INVOICE'));
  assert.deepEqual(numbers(body), [num]);
  assert.equal(count(body), '1 ticket');
  assert.ok(body.includes('<mark>Quok</mark>ka &lt;script&gt;alert(1)&lt;/script&gt; <mark>invoice</mark>s'), 'marked and escaped');
  assert.doesNotMatch(body, /<script>alert/);
  // Markup typed as a search word is a word, and stays text.
  const s = await page(W.agent, T('?q=%3Cscript%3E+quokka'));
  assert.ok(s.includes('<mark>Quokka</mark> &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; invoices'));
  // Words of the ticket's text around the first match, marked too; none
  // where the text has no match.
  assert.ok(body.includes('<p class="snippet">The <mark>invoice</mark>s page is blank.</p>'), 'a snippet');
  const blank = await page(W.agent, T('?q=blank'));
  assert.deepEqual(numbers(blank), [num]);
  assert.ok(blank.includes('<p class="snippet">The invoices page is <mark>blank</mark>.</p>'));
  assert.ok(blank.includes('>Quokka &lt;script&gt;alert(1)&lt;/script&gt; invoices</a>'), 'the subject unmarked');
  assert.doesNotMatch(await page(W.agent, T('?q=bulk')), /class="snippet"/);
  // A search for a number marks nothing.
  assert.doesNotMatch(await page(W.agent, T(`?q=%23${num}`)), /<mark>/);
  // Not searching: nothing marked.
  assert.doesNotMatch(await page(W.agent, T('?status=new')), /<mark>/);
  // A search keeps its words in the page links and in the count.
  const bulk = await page(W.agent, T('?q=bulk+ticket&status=open'));
  assert.equal(count(bulk), '60 tickets');
  assert.match(link(bulk, 'Next page'), /q=bulk%20ticket|q=bulk\+ticket/);
  assert.equal(numbers(bulk).length, 25);
  // An agent's search without filters is read by week (1,066 tickets of
  // this week: the walk) and counted by the word index up to 1,000, on
  // every page; a search read as the set (here under filters) is counted
  // with its page, exact past 1,000 (its matches are all read anyway).
  const many = await page(W.agent, T('?q=bulk'));
  assert.equal(count(many), 'More than 1,000 tickets');
  assert.equal(count(await page(W.agent, link(many, 'Next page'))), 'More than 1,000 tickets');
  assert.equal(count(await page(W.agent, T('?q=bulk&assignee=none&status=pending'))), '1,001 tickets');
  // Before a cursor too; and a search with no word left finds nothing.
  const p2 = await page(W.agent, link(many, 'Next page'));
  const p3 = await page(W.agent, link(p2, 'Next page'));
  const back = await page(W.agent, link(p3, 'Previous page'));
  assert.deepEqual(numbers(back), numbers(p2));
  assert.equal(count(back), '1,066 tickets');
  assert.equal(count(await page(W.agent, T('?q=ab'))), '0 tickets');
});

test('clear filters whenever a filter or a search applies', async () => {
  for (const query of ['?status=open', '?q=bulk', '?assignee=none', '?tag=x', '?priority=high&sort=created']) {
    const body = await page(W.agent, T(query));
    assert.equal(clearLink(body), T(), query);
  }
  for (const query of ['', '?sort=created']) assert.equal(clearLink(await page(W.agent, T(query))), null, query);
  // Filters fold on a phone: the summary says how many apply, and the
  // folded part is open when one does.
  assert.match(await page(W.agent, T('?status=open&assignee=none')), /<details class="fold" open>\s*<summary>Filters \(2 active\)<\/summary>/);
  assert.match(await page(W.agent, T('?q=bulk')), /<details class="fold">\s*<summary>Filters<\/summary>/);
});

test('a default queue view applies to the bare queue only', async (t) => {
  const me = W.users.agent.id;
  t.after(() => sql(`UPDATE users SET queue_view = NULL WHERE id = ${me}`));
  sql(`UPDATE users SET queue_view = 'status=open&assignee=none&sort=created' WHERE id = ${me}`);
  const body = await page(W.agent, T());
  assert.deepEqual(numbers(body), range(60, 36));
  assert.equal(count(body), '60 tickets');
  // The form shows the view.
  assert.match(body, /<option value="open" selected>open<\/option>/);
  assert.match(body, /<option value="none" selected>unassigned<\/option>/);
  assert.match(body, /<option value="created" selected>newest<\/option>/);
  // Its pages keep it; clearing it reaches the whole queue.
  const next = link(body, 'Next page');
  assert.ok(next.includes('status=open') && next.includes('assignee=none') && next.includes('sort=created'), next);
  assert.deepEqual(numbers(await page(W.agent, next)), range(35, 11));
  assert.equal(clearLink(body), T('?view=all'));
  const all = await page(W.agent, T('?view=all'));
  assert.equal(count(all), '1,067 tickets');
  assert.equal(clearLink(all), null);
  // Any query shows what it says.
  assert.equal(count(await page(W.agent, T('?status=new'))), '6 tickets');
  // Others keep their own queue.
  assert.equal(count(await page(W.admin, T())), '1,067 tickets');
  // A malformed view is ignored.
  sql(`UPDATE users SET queue_view = 'status=%zz' WHERE id = ${me}`);
  assert.equal(count(await page(W.agent, T())), '1,067 tickets');
});

test('the ticket page: heading, then facts and triage, then the thread, then the reply', async () => {
  const num = 1;
  const body = await page(W.agent, T(`/${num}`));
  const at = (s) => body.indexOf(s);
  assert.ok(at('<h1>') > 0 && at('<h1>') < at('id="t-status"'), 'the heading first');
  assert.ok(at('id="t-status"') < at('id="opening"'), 'the triage before the thread');
  assert.ok(at('id="opening"') < at('class="card reply"'), 'the reply after the thread');
  // Folded on a phone; open when the page comes back with a refused save.
  assert.match(body, /<details class="fold triage-fold">/);
  const [[version]] = sql(`SELECT version FROM tickets WHERE workspace_id = ${ws} AND number = ${num}`);
  const refused = await W.agent.post(T(`/${num}`), { version, status: 'open', priority: 'normal', assignee: 'none', tags: 'not, a valid: tag list!' });
  assert.equal(refused.status, 400);
  assert.match(refused.body, /<details class="fold triage-fold" open>/);
});

test('queue_count_max bounds the count', async () => {
  const { Client, signUp } = require('../lib/client');
  const { startStack, stackDir } = require('../lib/stack');
  const dir = stackDir();
  const stack = await startStack(dir, { env: { HELPDESK_QUEUE_COUNT_MAX: '5' } });
  try {
    const agent = new Client({ base: stack.base, stackDir: dir });
    const { res, email } = await signUp(agent, { name: 'Counting Agent' });
    assert.equal(res.status, 303);
    const slug = `count-${process.pid}`;
    assert.equal((await agent.submit('/workspaces', '/workspaces', { name: 'Count', slug })).status, 303);
    const [[id]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`, dir);
    const [[uid]] = sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir);
    sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, requester_id, created_at,
        updated_at, public_updated_at) SELECT ${id}, seq, CONCAT('Counted ', seq), 'x', 1, ${uid},
        NOW(), NOW(), NOW() FROM seq_1_to_7`, dir);
    sql(`INSERT INTO ticket_counts (workspace_id, status, n) VALUES (${id}, 1, 7)`, dir);
    reindex(slug, dir);
    const get = async (p) => count((await agent.get(`/w/${slug}/tickets${p}`)).body);
    assert.equal(await get('?assignee=none'), 'More than 5 tickets');
    assert.equal(await get(''), '7 tickets');
    assert.equal(await get('?q=counted'), '7 tickets');
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});
