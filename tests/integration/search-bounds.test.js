// The cost of a search is bounded whatever is typed: at most 8 words are
// searched, and a word shorter than 3 characters (which InnoDB does not
// index) is never a prefix that expands to every term it starts.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { workspaceWithMembers } = require('../lib/fixtures');

let W;
let num;	// the ticket every search below is about
let uni;	// one with a word of two-byte characters
const T = (path = '') => `/w/${W.slug}/tickets${path}`;
const numbers = (html) => [...html.matchAll(/<tr>\s*<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
const search = async (words) => {
  const res = await W.agent.get(T(`?q=${encodeURIComponent(words)}`));
  assert.equal(res.status, 200, words);
  return res;
};

async function open(subject, body) {
  await W.requester.get(T('/new'));
  const res = await W.requester.post(T('/new'), { subject, body });
  assert.equal(res.status, 303);
  return Number(res.headers.location.match(/(\d+)$/)[1]);
}

test.before(async () => {
  W = await workspaceWithMembers();
  num = await open('Alpha bravo charlie delta', 'echo foxtrot golf hotel india juliett');
  uni = await open('Ünicode überweisung', 'Größe');
});

test('only the first 8 words are searched; the page says so', async () => {
  const eight = 'alpha bravo charlie delta echo foxtrot golf hotel';
  assert.deepEqual(numbers((await search(eight)).body), [num]);
  // A ninth word that matches nothing is not searched.
  const nine = await search(`${eight} nomatchzzz`);
  assert.deepEqual(numbers(nine.body), [num]);
  assert.match(nine.body, /Only the first 8 words were searched\./);
  // Fifty words cost no more than eight.
  const fifty = Array.from({ length: 42 }, (_, i) => `junkword${i}`).join(' ');
  assert.deepEqual(numbers((await search(`${eight} ${fifty}`)).body), [num]);
  // Up to eight: no note.
  assert.doesNotMatch((await search(eight)).body, /Only the first/);
});

test('a word shorter than 3 characters is not searched as a prefix', async () => {
  // "a*" would expand to every indexed term starting with a.
  assert.deepEqual(numbers((await search('a')).body), []);
  const abc = await search('a b c');
  assert.deepEqual(numbers(abc.body), []);
  assert.match(abc.body, /Words shorter than 3 characters are not searched\./);
  assert.deepEqual(numbers((await search('al br')).body), []);
  // Three characters are a prefix; short words beside them are left out
  // and do not count towards the 8.
  assert.deepEqual(numbers((await search('alp')).body), [num]);
  assert.deepEqual(numbers((await search('a alp b bra c cha d del e ech f fox g gol h hot x ind')).body), [num]);
  // Characters, not bytes: "ün" is two characters in four bytes.
  assert.deepEqual(numbers((await search('ün')).body), []);
  assert.deepEqual(numbers((await search('üni')).body), [uni]);
});

test('ticket numbers are still found, by #N or N', async () => {
  assert.deepEqual(numbers((await search(`#${num}`)).body), [num]);
  assert.deepEqual(numbers((await search(String(num))).body), [num]);
});
