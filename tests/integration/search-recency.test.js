// Recency in the search index (issue 14; sql/029, docs/decisions.md
// "Search index"): each entry is filed under the week of its ticket's last
// update, and an agent's search of common words reads the newest weeks
// first instead of walking the queue. On a private stack where every
// search is a walk (search_set_max 0), with tickets spread over six years:
// every page of the results equals the FULLTEXT oracle, page after page
// (one word, two words, a prefix), also with tickets moved back in time by
// hand (filed newer than they are); every write that moves a ticket's
// "updated" (reply, note, triage, the retention close) files its entries
// under its new week; and the first page is read by week: an entry filed
// older than its ticket (which the model never writes) is not found there.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp } = require('../lib/client');
const { startStack, stackDir } = require('../lib/stack');
const { sql, q, reindex } = require('../lib/db');

const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
const nextOf = (body) => {
  const m = body.match(/<a href="([^"]+)" rel="next">/);
  return m ? m[1].replace(/&amp;/g, '&') : null;
};

const TICKETS = 300;
let dir;
let stack;
let agent;
let slug;
let ws;

// Every page of a search, following the next links: the numbers in order.
async function allPages(words) {
  let url = `/w/${slug}/tickets?q=${encodeURIComponent(words)}`;
  const out = [];
  for (let i = 0; url && i < 40; i++) {
    const res = await agent.get(url);
    assert.equal(res.status, 200, url);
    out.push(...numbers(res.body));
    url = nextOf(res.body);
  }
  return out;
}

// The FULLTEXT oracle for an agent, every match in order.
function oracle(terms) {
  return sql(`SELECT t.number FROM tickets t JOIN (SELECT id AS tid FROM tickets
      WHERE workspace_id = ${ws} AND MATCH (subject, body) AGAINST (${q(terms)} IN BOOLEAN MODE)
      UNION SELECT c.ticket_id FROM comments c WHERE c.workspace_id = ${ws}
      AND MATCH (c.body) AGAINST (${q(terms)} IN BOOLEAN MODE)) m
      ON m.tid = t.id WHERE t.workspace_id = ${ws}
      ORDER BY t.updated_at DESC, t.id DESC`, dir).map((r) => Number(r[0]));
}

// The weeks a ticket's entries are filed under, and its own week.
function weeks(num) {
  const [[id, own]] = sql(`SELECT id, TO_DAYS(updated_at) DIV 7 FROM tickets
    WHERE workspace_id = ${ws} AND number = ${num}`, dir);
  const filed = sql(`SELECT DISTINCT bucket FROM search_words WHERE ticket_id = ${id}`, dir).map((r) => r[0]);
  return { filed, own };
}

async function reply(num, body, internal) {
  await agent.get(`/w/${slug}/tickets/${num}`);
  const res = await agent.post(`/w/${slug}/tickets/${num}/comments`, internal ? { body, internal: '1' } : { body });
  assert.equal(res.status, 303, body);
}

async function triage(num, fields) {
  const page = await agent.get(`/w/${slug}/tickets/${num}`);
  const version = page.body.match(/name="version" value="(\d+)"/)[1];
  const res = await agent.post(`/w/${slug}/tickets/${num}`,
    { version, status: 'open', priority: 'normal', assignee: 'none', tags: '', ...fields });
  assert.equal(res.status, 303, 'triage saved');
}

// A ticket moved back to days ago, its entries filed as the model would.
function moveBack(num, days) {
  sql(`UPDATE tickets SET updated_at = UTC_TIMESTAMP() - INTERVAL ${days} DAY
    WHERE workspace_id = ${ws} AND number = ${num}`, dir);
  sql(`UPDATE search_words w JOIN tickets t ON t.id = w.ticket_id
    SET w.bucket = TO_DAYS(t.updated_at) DIV 7 WHERE t.workspace_id = ${ws} AND t.number = ${num}`, dir);
}

test.before(async () => {
  dir = stackDir();
  stack = await startStack(dir, { env: { HELPDESK_SEARCH_SET_MAX: '0' } });
  agent = new Client({ base: stack.base, stackDir: dir });
  const { res, email } = await signUp(agent, { name: 'Recency Agent' });
  assert.equal(res.status, 303);
  slug = `recency-${process.pid}`;
  assert.equal((await agent.submit('/workspaces', '/workspaces', { name: 'Recency', slug })).status, 303);
  [[ws]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`, dir);
  const [[uid]] = sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir);
  // 300 tickets over six years, in an order unlike their numbers: every
  // one has "narwhal", every third "walrus", every fifth "narwhals".
  sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, requester_id, created_at,
      updated_at, public_updated_at)
      SELECT ${ws}, seq, CONCAT('Narwhal ', seq), CONCAT('the narwhal',
        IF(seq % 3 = 0, ' and the walrus', ''), IF(seq % 5 = 0, ' narwhals', ''), ' here'), 2, ${uid},
        UTC_TIMESTAMP() - INTERVAL 2200 DAY,
        UTC_TIMESTAMP() - INTERVAL ((seq * 37) % ${TICKETS}) * 7 DAY - INTERVAL seq MINUTE,
        UTC_TIMESTAMP() - INTERVAL ((seq * 37) % ${TICKETS}) * 7 DAY - INTERVAL seq MINUTE
      FROM seq_1_to_${TICKETS}`, dir);
  sql(`UPDATE workspaces SET next_number = ${TICKETS + 1} WHERE id = ${ws}`, dir);
  reindex(slug, dir);
});

test.after(async () => {
  if (stack) assert.deepEqual(await stack.stop(), []);
});

test('entries are filed under the week of their ticket\'s last update', () => {
  const [[wrong]] = sql(`SELECT COUNT(*) FROM search_words w JOIN tickets t ON t.id = w.ticket_id
    WHERE t.workspace_id = ${ws} AND w.bucket <> TO_DAYS(t.updated_at) DIV 7`, dir);
  assert.equal(wrong, '0');
  const [[spread]] = sql(`SELECT COUNT(DISTINCT bucket) FROM search_words WHERE workspace_id = ${ws}`, dir);
  assert.ok(Number(spread) > 250, `entries in ${spread} weeks`);
});

test('every page of a common word, two words and a prefix is what FULLTEXT finds, in order', async () => {
  for (const [words, terms] of [['narwhal', '+narwhal*'], ['narwhal walrus', '+narwhal* +walrus*'],
    ['walrus narwhal', '+walrus* +narwhal*'], ['narw', '+narw*'], ['narwhals', '+narwhals*']]) {
    const want = oracle(terms);
    assert.ok(want.length >= 60, `${words}: ${want.length} matches`);
    assert.deepEqual(await allPages(words), want, words);
    // Counted with the page read by week, exactly (queue_count_max 1000).
    const first = await agent.get(`/w/${slug}/tickets?q=${encodeURIComponent(words)}`);
    assert.equal((first.body.match(/<span id="result-count">([^<]*)<\/span>/) || [])[1], `${want.length} tickets`, words);
  }
});

test('tickets moved back by hand (filed newer than they are) are found where they now sort', async () => {
  // 40 tickets, the newest included, a year back without their entries.
  sql(`UPDATE tickets SET updated_at = updated_at - INTERVAL 365 DAY
    WHERE workspace_id = ${ws} AND number % 7 = 0`, dir);
  for (const [words, terms] of [['narwhal', '+narwhal*'], ['narwhal walrus', '+narwhal* +walrus*']])
    assert.deepEqual(await allPages(words), oracle(terms), words);
  reindex(slug, dir);
});

test('a reply, a note, a triage and the retention close file a ticket under its new week', async () => {
  const [a, b, c] = [11, 12, 13];
  for (const n of [a, b, c]) moveBack(n, 900);
  const before = weeks(a);
  assert.deepEqual(before.filed, [before.own], 'moved back with its entries');
  await reply(a, 'a public reply about the narwhal');
  await reply(b, 'an internal note', true);
  await triage(c, { priority: 'high' });
  for (const n of [a, b, c]) {
    const { filed, own } = weeks(n);
    assert.deepEqual(filed, [own], `ticket ${n}: entries in week ${own}`);
    assert.ok(Number(own) > Number(before.own) + 100, `ticket ${n} is in this week`);
  }
  const first = numbers((await agent.get(`/w/${slug}/tickets?q=narwhal`)).body).slice(0, 3);
  assert.deepEqual(first, [c, b, a], 'the three just updated come first');
  assert.deepEqual(await allPages('narwhal'), oracle('+narwhal*'));
  // The retention close moves a solved ticket's "updated" to now.
  moveBack(14, 900);
  sql(`UPDATE tickets SET status = 4 WHERE workspace_id = ${ws} AND number = 14`, dir);
  sql(`UPDATE ticket_counts SET n = n - 1 WHERE workspace_id = ${ws} AND status = 2`, dir);
  sql(`INSERT INTO ticket_counts (workspace_id, status, n) VALUES (${ws}, 4, 1)
    ON DUPLICATE KEY UPDATE n = n + 1`, dir);
  sql(`UPDATE workspaces SET retain_close_solved_days = 30 WHERE id = ${ws}`, dir);
  const { execFileSync } = require('node:child_process');
  const path = require('node:path');
  execFileSync(path.resolve(__dirname, '..', '..', process.env.HD_BIN || 'build/bin', 'retention'), [], {
    env: { ...process.env, HELPDESK_CONFIG: path.join(dir, 'helpdesk.conf') }, encoding: 'utf8',
  });
  assert.equal(sql(`SELECT status FROM tickets WHERE workspace_id = ${ws} AND number = 14`, dir)[0][0], '5');
  const { filed, own } = weeks(14);
  assert.deepEqual(filed, [own], 'the closed ticket is filed under this week');
  assert.equal(numbers((await agent.get(`/w/${slug}/tickets?q=narwhal`)).body)[0], 14);
});

test('the first page is read by week: an entry filed older than its ticket is not found there', async () => {
  const top = numbers((await agent.get(`/w/${slug}/tickets?q=narwhal`)).body)[0];
  // What the model never writes: the newest ticket's entries filed in a
  // week five years back.
  sql(`UPDATE search_words w JOIN tickets t ON t.id = w.ticket_id SET w.bucket = TO_DAYS(t.updated_at) DIV 7 - 260
    WHERE t.workspace_id = ${ws} AND t.number = ${top}`, dir);
  const first = numbers((await agent.get(`/w/${slug}/tickets?q=narwhal`)).body);
  assert.equal(first.length, 25);
  assert.ok(!first.includes(top), 'read by week, the newest ticket filed years back is not on page 1');
  // The walk (another order) still finds it: only the week moved.
  const created = await agent.get(`/w/${slug}/tickets?q=narwhal&sort=created`);
  assert.equal(created.status, 200);
  reindex(slug, dir);
  assert.equal(numbers((await agent.get(`/w/${slug}/tickets?q=narwhal`)).body)[0], top);
});

test('two common words are counted from a bounded read: "More than" a round number below what was seen', async () => {
  // 4,400 more tickets over 26 weeks: "yak" in every second, "gnu" in the
  // others and every twentieth, so both have more than 2,000 entries
  // (COUNT_ENTRIES_MAX) and they meet in 220 tickets.
  const [[uid]] = sql(`SELECT requester_id FROM tickets WHERE workspace_id = ${ws} LIMIT 1`, dir);
  sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, requester_id, created_at,
      updated_at, public_updated_at)
      SELECT ${ws}, ${TICKETS} + seq, CONCAT('Herd ', seq), CONCAT('the',
        IF(seq % 2 = 0, ' yak', ''), IF(seq % 2 = 1 OR seq % 20 = 0, ' gnu', ''), ' grazes'), 2, ${uid},
        UTC_TIMESTAMP() - INTERVAL 200 DAY, UTC_TIMESTAMP() - INTERVAL seq HOUR, UTC_TIMESTAMP() - INTERVAL seq HOUR
      FROM seq_1_to_4400`, dir);
  sql(`UPDATE workspaces SET next_number = ${TICKETS + 4401} WHERE id = ${ws}`, dir);
  reindex(slug, dir);
  const want = oracle('+yak* +gnu*');
  assert.equal(want.length, 220);
  const page = await agent.get(`/w/${slug}/tickets?q=yak+gnu`);
  assert.deepEqual(numbers(page.body), want.slice(0, 25));
  const count = (page.body.match(/<span id="result-count">([^<]*)<\/span>/) || [])[1];
  const m = count.match(/^More than ([\d,]+) tickets$/);
  assert.ok(m, `a bounded count: ${count}`);
  const n = Number(m[1].replace(/,/g, ''));
  assert.ok(n >= 20 && n < 220 && /^[1-9]0*$/.test(String(n)), `a round number below 220: ${n}`);
  // One of them alone is counted exactly, up to queue_count_max.
  const one = await agent.get(`/w/${slug}/tickets?q=yak`);
  assert.equal((one.body.match(/<span id="result-count">([^<]*)<\/span>/) || [])[1], 'More than 1,000 tickets');
});
