// What a requester can learn: every page they can load is made only of what
// they may see. An internal note, a change of tags, priority, assignee or
// who is copied, or a ticket they cannot see, changes none of them: not an
// order, a time, a count, a cursor or a filter's answer, byte for byte
// apart from the CSRF token.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers } = require('../lib/fixtures');
const { sql, q } = require('../lib/db');

let W;
const T = (path = '') => `/w/${W.slug}/tickets${path}`;
const NTICKETS = 27;	// more than a page (25): page 2 comes by cursor
const file = (filename, data) => ({ name: 'files', filename, contentType: 'text/plain', data: Buffer.from(data) });

// The page without what differs between two loads by design: the token.
// The CSRF token and the clock on /account ("yours now: 30 Nov 2026, 21:03 UTC")
// differ between any two loads; a snapshot that crosses a minute is not a leak.
const bare = (body) => body.replace(/name="csrf" value="[0-9a-f]{64}"/g, 'name="csrf" value=""')
  .replace(/yours now: [^)]*\)/g, 'yours now: )');
const nextOf = (body) => {
  const m = body.match(/<a href="([^"]+)" rel="next">/);
  return m ? m[1].replace(/&amp;/g, '&') : null;
};
const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));

async function open(client, fields, files = []) {
  await client.get(T('/new'));
  const res = await client.postMultipart(T('/new'), fields, files);
  assert.equal(res.status, 303, res.body);
  return Number(res.headers.location.match(/\/tickets\/(\d+)$/)[1]);
}

// As an agent: saves the triage form with changes, keeping the rest of the
// form as the page shows it (the status included, unless changed).
async function triage(agent, num, changes) {
  const page = (await agent.get(T(`/${num}`))).body;
  // The chosen option of a select, or its first, as a browser sends it.
  const selected = (id) => {
    const sel = page.match(new RegExp(`<select id="${id}"[^>]*>(.*?)</select>`, 's'))[1];
    return (sel.match(/<option value="([^"]+)" selected>/) || sel.match(/<option value="([^"]+)"/))[1];
  };
  const fields = {
    version: page.match(/name="version" value="(\d+)"/)[1],
    status: selected('t-status'),
    priority: selected('t-priority'),
    assignee: selected('t-assignee'),
    tags: page.match(/id="t-tags" name="tags" value="([^"]*)"/)[1],
    cc: page.match(/id="t-cc" name="cc" value="([^"]*)"/)[1],
    ...changes,
  };
  const res = await agent.post(T(`/${num}`), fields);
  assert.equal(res.status, 303, res.body);
}

async function reply(client, num, body, internal, files = []) {
  await client.get(T(`/${num}`));
  const res = await client.postMultipart(T(`/${num}/comments`), internal ? { body, internal: '1' } : { body }, files);
  assert.equal(res.status, 303, res.body);
}

// Moves every time of the workspace's tickets a day back, so that anything
// written now sorts first and shows another time (every DATETIME column of
// tickets, whatever the schema has).
function ageWorkspace() {
  const cols = sql(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                    AND TABLE_NAME = 'tickets' AND DATA_TYPE = 'datetime'`).map(([c]) => c);
  const set = cols.map((c) => `t.${c} = t.${c} - INTERVAL 1 DAY`).join(', ');
  const ws = `(SELECT id FROM workspaces WHERE slug = ${q(W.slug)})`;
  sql(`UPDATE tickets t SET ${set} WHERE t.workspace_id = ${ws}`);
  sql(`UPDATE comments SET created_at = created_at - INTERVAL 1 DAY WHERE workspace_id = ${ws}`);
  sql(`UPDATE ticket_events SET created_at = created_at - INTERVAL 1 DAY WHERE workspace_id = ${ws}`);
}

// Every page the requester can load: the queue under each sort and filter
// (agent-only filters included, with page 2 by its cursor), each ticket,
// its attachments, the other pages of the workspace and the account.
function requesterUrls(nums, attachments) {
  const lists = ['', '?sort=updated', '?sort=created', '?sort=priority', '?status=new', '?status=open',
    '?status=pending', '?status=solved', '?status=closed', '?q=widget', '?q=widget&sort=created',
    `?q=%23${nums[0]}`, '?priority=urgent', '?priority=normal', '?priority=low', '?assignee=me',
    `?assignee=${W.users.agent.id}`, '?assignee=none', `?requester=${W.users.requester.id}`,
    '?tag=refund-fraud', '?tag=vip', '?status=new&sort=created'];
  return {
    lists: lists.map((l) => T(l)),
    pages: [...nums.map((n) => T(`/${n}`)), ...attachments, T('/new'), `/w/${W.slug}`, '/workspaces', '/account'],
  };
}

async function snapshot(urls) {
  const out = new Map();
  const load = async (u) => {
    const r = await W.requester.get(u);
    out.set(u, { status: r.status, location: r.headers.location, type: r.headers['content-type'], body: bare(r.body) });
    return r;
  };
  for (const u of urls.lists) {
    const r = await load(u);
    assert.equal(r.status, 200, u);
    const next = nextOf(r.body);
    if (next) await load(next);
  }
  for (const u of urls.pages) await load(u);
  return out;
}

function assertSame(before, after) {
  assert.deepEqual([...after.keys()], [...before.keys()], 'the same pages, page 2 links included');
  for (const [u, b] of before) assert.deepEqual(after.get(u), b, `${u} changed after agent-only actions`);
}

test.before(async () => {
  W = await workspaceWithMembers();
  const nums = [];
  for (let i = 1; i <= NTICKETS; i++) {
    const files = i === 1 ? [file('receipt.txt', 'paid twice')] : [];
    nums.push(await open(W.requester, { subject: `Widget ${i}`, body: `Widget problem number ${i}` }, files));
  }
  // What the requester may see happens: a public reply, a status change.
  await reply(W.agent, nums[3], 'We are on it', false, [file('answer.txt', 'public file')]);
  await triage(W.agent, nums[6], { status: 'pending' });
  W.nums = nums;
});

test('no agent-only action changes any page a requester can load', async () => {
  const { nums } = W;
  ageWorkspace();
  const attachments = [...(await W.requester.get(T(`/${nums[0]}`))).body.matchAll(/href="(\/w\/[^"]+\/attachments\/\d+)"/g)]
    .concat([...(await W.requester.get(T(`/${nums[3]}`))).body.matchAll(/href="(\/w\/[^"]+\/attachments\/\d+)"/g)])
    .map((m) => m[1]);
  assert.equal(attachments.length, 2);
  const urls = requesterUrls(nums, attachments);
  const before = await snapshot(urls);
  // Page 2 exists for the default sort: the cursor is part of what is compared.
  assert.ok(nextOf(before.get(T('')).body), 'the list has a second page');

  // Agent-only activity on tickets on both pages, and a ticket the
  // requester cannot see.
  await reply(W.agent, nums[0], 'Refund fraud suspected', true, [file('note.txt', 'internal file')]);
  await reply(W.admin, nums[10], 'Another note', true);
  await triage(W.agent, nums[1], { priority: 'urgent', assignee: String(W.users.agent.id), tags: 'refund-fraud vip' });
  await triage(W.agent, nums[20], { priority: 'low', tags: 'vip', cc: W.users.admin.email });
  await triage(W.admin, nums[6], { assignee: String(W.users.admin.id) });
  await open(W.agent, { subject: 'Widget elsewhere', body: 'widget for the admin', requester: W.users.admin.email });

  const after = await snapshot(urls);
  assertSame(before, after);
});

test('agent-only filters give a requester the unfiltered page', async () => {
  // By now a ticket of theirs carries the hidden tag "refund-fraud".
  const plain = bare((await W.requester.get(T())).body);
  for (const f of ['?tag=refund-fraud', '?tag=nothing-has-this', '?priority=urgent', '?assignee=none',
    `?assignee=${W.users.agent.id}`, '?sort=priority', `?requester=${W.users.admin.id}`]) {
    assert.equal(bare((await W.requester.get(T(f))).body), plain, f);
  }
  // Agents still filter by them.
  assert.deepEqual(numbers((await W.agent.get(T('?tag=refund-fraud'))).body), [W.nums[1]]);
  assert.deepEqual(numbers((await W.agent.get(T('?priority=urgent'))).body), [W.nums[1]]);
});

test('a requester sees no priority, assignee or tags, and still sees what is theirs move', async () => {
  const page = (await W.requester.get(T(`/${W.nums[1]}`))).body;
  assert.doesNotMatch(page, /urgent|refund-fraud|Priority|Assignee/);
  assert.doesNotMatch(page, new RegExp(W.users.agent.name));
  const list = (await W.requester.get(T())).body;
  assert.doesNotMatch(list, /urgent|Priority|Assignee|unassigned/);
  // A public reply is theirs to see: that ticket now leads their list.
  const last = W.nums[NTICKETS - 10];
  assert.notEqual(numbers(list)[0], last);
  await reply(W.agent, last, 'An answer you can read', false);
  assert.equal(numbers((await W.requester.get(T())).body)[0], last);
});
