// The search index of our own (issue 14; docs/decisions.md "Search
// index"): search reads search_words, written with every ticket, reply
// and note, and must find exactly what InnoDB FULLTEXT finds, in the same
// order. The oracle is the FULLTEXT query search used before, run here by
// SQL on the same rows (the FULLTEXT indexes stay for that and as the
// fallback): same ticket numbers, same order, for agents and requesters,
// prefixes, two words (in one document), accents, punctuation, stopwords.
// Then: a note is never found by a requester, replies posted in parallel
// leave the index equal to a rebuild, the rebuild tool and its mark
// (FULLTEXT until a rebuild completes), the walk plan (search_set_max 0),
// and erasure removing the old words.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers } = require('../lib/fixtures');
const { Client, signUp } = require('../lib/client');
const { startStack, stackDir } = require('../lib/stack');
const { sql, q, reindex } = require('../lib/db');

const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
const count = (html) => (html.match(/<span id="result-count">([^<]*)<\/span>/) || [])[1];

// What the page finds for q (first page, at most 25).
async function found(client, slug, words) {
  const res = await client.get(`/w/${slug}/tickets?q=${encodeURIComponent(words)}`);
  assert.equal(res.status, 200, words);
  return { nums: numbers(res.body), count: count(res.body) };
}

// The FULLTEXT oracle: today's query (lib/domain/queue.c before the
// index) for terms ("+one* +two*"), agent or requester uid's view.
function oracle(ws, terms, requester = 0, dir = undefined) {
  const notes = requester ? 0 : 1;
  const mine = requester ? `AND t.requester_id = ${requester}` : '';
  const upd = requester ? 't.public_updated_at' : 't.updated_at';
  return sql(`SELECT t.number FROM tickets t JOIN (SELECT id AS tid FROM tickets
      WHERE workspace_id = ${ws} AND MATCH (subject, body) AGAINST (${q(terms)} IN BOOLEAN MODE)
      UNION SELECT c.ticket_id FROM comments c WHERE c.workspace_id = ${ws}
      AND (c.internal = 0 OR ${notes} = 1) AND MATCH (c.body) AGAINST (${q(terms)} IN BOOLEAN MODE)) m
      ON m.tid = t.id WHERE t.workspace_id = ${ws} ${mine}
      ORDER BY ${upd} DESC, t.id DESC LIMIT 25`, dir).map((r) => Number(r[0]));
}

// [what is typed, search_terms's boolean query for it]
const CASES = [
  ['printer', '+printer*'],
  ['PRI', '+PRI*'],
  ['zeppelin printer', '+zeppelin* +printer*'],
  ['printer zeppelin', '+printer* +zeppelin*'],
  ['cafe', '+cafe*'],
  ['CAFÉ', '+CAFÉ*'],
  ['jurgen', '+jurgen*'],
  ['Jürgen prices', '+Jürgen* +prices*'],
  ['barbaz', '+barbaz*'],
  ['foo—barbaz', '+foo* +barbaz*'],
  ['“quoted”', '+quoted*'],
  ['don’t', '+don*'],
  ['snake_case', '+snake_case*'],
  ['snake', '+snake*'],
  ['user', '+user*'],
  ['user_name', '+user_name*'],
  ['the', '+the*'],
  ['with', '+with*'],
  ['them', '+them*'],
  ['東京都', '+東京都*'],
  ['defgh', '+defgh*'],
  ['kangaroo', '+kangaroo*'],
  ['wombat', '+wombat*'],
  ['kangaroo wombat', '+kangaroo* +wombat*'],
  ['nothingmatcheszz', '+nothingmatcheszz*'],
];

// The documents the cases are about: [subject, body, [reply, internal]...]
const DOCS = [
  ['Zeppelin printer jams', 'The zeppelin model printer jams on page two.', []],
  ['Printer offline', 'Our printer is offline since Monday.', [['Is the zeppelin plugged in?', 0]]],
  ['Café menu', 'The café’s menu shows Jürgen’s prices — wrong', [['cafe prices again', 0]]],
  ['foo—barbaz issue', '“quoted” text and don’t panic', []],
  ['snake_case names', 'column user_name breaks', [['the user sees it', 0]]],
  ['The theme of them', 'with without withdraw', []],
  ['Office move', 'Tokyo 東京都 office printer', [['secret kangaroo plans', 1], ['public wombat reply', 0]]],
  ['Emoji abc😀defgh', 'plain body', [['kangaroo wombat in a note', 1]]],
  ['Another printer', 'printing problems with the printer', [['printers everywhere', 0]]],
];

let W;
let ws;

async function open(client, slug, subject, body) {
  await client.get(`/w/${slug}/tickets/new`);
  const res = await client.post(`/w/${slug}/tickets/new`, { subject, body });
  assert.equal(res.status, 303, subject);
  return Number(res.headers.location.match(/(\d+)$/)[1]);
}

async function reply(client, slug, num, body, internal) {
  await client.get(`/w/${slug}/tickets/${num}`);
  const res = await client.post(`/w/${slug}/tickets/${num}/comments`,
    internal ? { body, internal: '1' } : { body });
  assert.equal(res.status, 303, body);
}

// Every document of DOCS through the real pages: the requester opens,
// the agent replies and writes notes.
async function fill(requester, agent, slug) {
  const made = [];
  for (const [subject, body, replies] of DOCS) {
    const num = await open(requester, slug, subject, body);
    for (const [text, internal] of replies) await reply(agent, slug, num, text, internal);
    made.push(num);
  }
  return made;
}

// The index's rows of workspace id, as text, for comparing.
const indexRows = (id, dir) => sql(`SELECT ticket_id, word, doc_id, internal FROM search_words
  WHERE workspace_id = ${id} ORDER BY ticket_id, word, doc_id`, dir).map((r) => r.join(' ')).join('\n');

test.before(async () => {
  W = await workspaceWithMembers();
  [[ws]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(W.slug)}`);
  await fill(W.requester, W.agent, W.slug);
});

test('the index finds what FULLTEXT finds, in its order, for agents and requesters', async () => {
  assert.equal(sql('SELECT complete FROM search_state')[0][0], '1', 'a fresh install reads the index');
  for (const [words, terms] of CASES) {
    const agent = await found(W.agent, W.slug, words);
    assert.deepEqual(agent.nums, oracle(ws, terms), `agent: ${words}`);
    const req = await found(W.requester, W.slug, words);
    assert.deepEqual(req.nums, oracle(ws, terms, W.users.requester.id), `requester: ${words}`);
    const n = agent.nums.length;
    if (n > 0) assert.equal(agent.count, n === 1 ? '1 ticket' : `${n} tickets`, words);
  }
  // What the cases are for: the words must be in one document.
  assert.equal((await found(W.agent, W.slug, 'zeppelin printer')).nums.length, 1);
  assert.equal((await found(W.agent, W.slug, 'foo barbaz')).nums.length, 1);
  assert.equal((await found(W.agent, W.slug, 'jurgen')).nums.length, 1);
});

test('a note is never found by a requester', async () => {
  assert.equal((await found(W.agent, W.slug, 'kangaroo')).nums.length, 2);
  assert.deepEqual((await found(W.requester, W.slug, 'kangaroo')).nums, []);
  assert.deepEqual((await found(W.requester, W.slug, 'kangaroo wombat')).nums, []);
  // The public reply beside the note is found by both.
  assert.equal((await found(W.requester, W.slug, 'wombat')).nums.length, 1);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM search_words WHERE workspace_id = ${ws}
    AND word = 'kangaroo' AND internal = 1`)[0][0]) === 2, 'notes are marked internal');
});

test('replies posted in parallel: the index equals a rebuild', async () => {
  const nums = [];
  for (let i = 0; i < 4; i++) nums.push(await open(W.requester, W.slug, `Parallel ${i} ocelot`, `body ${i}`));
  const posts = [];
  for (let i = 0; i < 24; i++) {
    const who = i % 2 ? W.agent : W.requester;
    posts.push(reply(who, W.slug, nums[i % 4], `reply ${i} lynx${i} margay shared`, who === W.agent && i % 3 === 0));
  }
  await Promise.all(posts);
  const live = indexRows(ws);
  assert.match(reindex(W.slug), /^tickets \d+ words \d+/);
  assert.equal(indexRows(ws), live, 'the same rows as a rebuild from the tickets');
  for (const words of ['margay', 'lynx1', 'ocelot margay']) {
    assert.deepEqual((await found(W.agent, W.slug, words)).nums, oracle(ws, words.split(' ').map((w) => `+${w}*`).join(' ')), words);
  }
});

test('the rebuild restores an emptied index and gives the same results', async () => {
  const before = indexRows(ws);
  sql(`DELETE FROM search_words WHERE workspace_id = ${ws}`);
  assert.deepEqual((await found(W.agent, W.slug, 'printer')).nums, [], 'an emptied index finds nothing');
  reindex(W.slug);
  assert.equal(indexRows(ws), before);
  for (const [words, terms] of CASES.slice(0, 6)) {
    assert.deepEqual((await found(W.agent, W.slug, words)).nums, oracle(ws, terms), words);
  }
});

test('erasure: the erased text is not found by its old words', async () => {
  const E = await workspaceWithMembers();
  const [[id]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(E.slug)}`);
  const res = await E.admin.submit(`/w/${E.slug}/admin/settings`, `/w/${E.slug}/admin/settings`,
    { name: E.wsName, erase_text: 'remove' });
  assert.equal(res.status, 303);
  const num = await open(E.requester, E.slug, 'Platypus invoice', 'my platypus account');
  await reply(E.requester, E.slug, num, 'narwhal details here', 0);
  await reply(E.agent, E.slug, num, 'agent answer axolotl', 0);
  assert.deepEqual((await found(E.agent, E.slug, 'platypus')).nums, [num]);
  assert.deepEqual((await found(E.agent, E.slug, 'narwhal')).nums, [num]);
  const erased = await E.admin.submit(`/w/${E.slug}/admin/members/${E.users.requester.id}/erase`,
    `/w/${E.slug}/admin/members/${E.users.requester.id}/erase`, {});
  assert.equal(erased.status, 303);
  for (const [words, terms] of [['platypus', '+platypus*'], ['narwhal', '+narwhal*'],
    ['axolotl', '+axolotl*'], ['removed request', '+removed* +request*']]) {
    assert.deepEqual((await found(E.agent, E.slug, words)).nums, oracle(id, terms), words);
  }
  assert.deepEqual((await found(E.agent, E.slug, 'platypus')).nums, []);
  assert.deepEqual((await found(E.agent, E.slug, 'narwhal')).nums, []);
  assert.deepEqual((await found(E.agent, E.slug, 'axolotl')).nums, [num], 'the agent\'s reply stays');
  assert.equal(sql(`SELECT COUNT(*) FROM search_words WHERE workspace_id = ${id}
    AND word IN ('platypus', 'narwhal', 'invoice')`)[0][0], '0');
});

test('FULLTEXT until a rebuild completes; the walk plan finds what FULLTEXT finds', async () => {
  const dir = stackDir();
  // search_set_max 0: every search that finds anything walks.
  const stack = await startStack(dir, { env: { HELPDESK_SEARCH_SET_MAX: '0' } });
  try {
    const agent = new Client({ base: stack.base, stackDir: dir });
    const { res, email } = await signUp(agent, { name: 'Indexing Agent' });
    assert.equal(res.status, 303);
    const slug = `index-${process.pid}`;
    assert.equal((await agent.submit('/workspaces', '/workspaces', { name: 'Index', slug })).status, 303);
    const [[id]] = sql(`SELECT id FROM workspaces WHERE slug = ${q(slug)}`, dir);
    const [[uid]] = sql(`SELECT id FROM users WHERE email = ${q(email)}`, dir);
    // An upgrade: tickets that were there before the index, not in it.
    sql('UPDATE search_state SET complete = 0', dir);
    sql(`INSERT INTO tickets (workspace_id, number, subject, body, status, requester_id, created_at,
        updated_at, public_updated_at) SELECT ${id}, seq, CONCAT('Legacy quagga ', seq), 'old text', 1, ${uid},
        NOW() - INTERVAL seq HOUR, NOW() - INTERVAL seq HOUR, NOW() - INTERVAL seq HOUR FROM seq_1_to_30`, dir);
    sql(`UPDATE workspaces SET next_number = 31 WHERE id = ${id}`, dir);
    const legacy = (await found(agent, slug, 'quagga')).nums;
    assert.equal(legacy.length, 25, 'found by FULLTEXT while the index is incomplete');
    assert.deepEqual(legacy, oracle(id, '+quagga*', 0, dir));
    // A rebuild of one workspace leaves the mark; of all, sets it.
    reindex(slug, dir);
    assert.equal(sql('SELECT complete FROM search_state', dir)[0][0], '0');
    assert.match(reindex(undefined, dir), /^tickets 30 /);
    assert.equal(sql('SELECT complete FROM search_state', dir)[0][0], '1');
    // Now search reads the index: a ticket whose words are gone from it
    // is not found (FULLTEXT would still find it).
    sql(`DELETE w FROM search_words w JOIN tickets t ON t.id = w.ticket_id
      WHERE t.workspace_id = ${id} AND t.number = 1`, dir);
    const after = (await found(agent, slug, 'quagga')).nums;
    assert.equal(after.length, 25);
    assert.ok(!after.includes(1));
    reindex(undefined, dir);
    // The walk (search_set_max 0) on documents written by the pages.
    await fill(agent, agent, slug);
    for (const [words, terms] of CASES) {
      assert.deepEqual((await found(agent, slug, words)).nums, oracle(id, terms, 0, dir), `walk: ${words}`);
    }
    // Counted apart, and paged: 30 legacy tickets.
    const p = await agent.get(`/w/${slug}/tickets?q=quagga`);
    assert.equal(count(p.body), '30 tickets');
  } finally {
    assert.deepEqual(await stack.stop(), []);
  }
});
