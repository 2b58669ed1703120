// Redirect locality through the real stack: a next= target that a browser
// would resolve to another site (TAB, CR, LF dropped, "\" read as "/") is
// never sent back as Location, after sign-in, sign-up, or when signed in.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, signUp, uniqueEmail } = require('../lib/client');

const bypasses = [
  '/\t/evil.example/',
  '/\t\\evil.example/',
  '/\\evil.example/',
  '/\n/evil.example/',
  '/\r\n/evil.example/',
  '//evil.example/',
  ' //evil.example/',
];

// What a browser makes of a Location: the WHATWG URL parser, relative to
// a page of ours.
function staysHere(location) {
  const base = 'http://helpdesk.test/signin';
  return new URL(location, base).origin === new URL(base).origin;
}

test('sign-in with a next= that browsers read as another site stays here', async () => {
  const { email, password } = await signUp(new Client());
  for (const next of bypasses) {
    const c = new Client();
    const res = await c.submit('/signin', '/signin', { email, password, next });
    assert.equal(res.status, 303, JSON.stringify(next));
    assert.ok(staysHere(res.headers.location), `Location ${JSON.stringify(res.headers.location)} for next=${JSON.stringify(next)}`);
    assert.equal(res.headers.location, '/');
  }
});

test('sign-up and a signed-in visit to /signin with such a next= stay here', async () => {
  for (const next of bypasses) {
    const c = new Client();
    const res = await c.submit('/signup', '/signup', {
      name: 'Redirected', email: uniqueEmail('next'), password: 'correct horse battery', next,
    });
    assert.equal(res.status, 303);
    assert.ok(staysHere(res.headers.location), `sign-up: ${JSON.stringify(res.headers.location)}`);
    const again = await c.get(`/signin?next=${encodeURIComponent(next)}`);
    assert.equal(again.status, 303);
    assert.ok(staysHere(again.headers.location), `signed in: ${JSON.stringify(again.headers.location)}`);
  }
});

test('a local next= is still followed, percent-escapes and all', async () => {
  const { email, password } = await signUp(new Client());
  for (const next of ['/account', '/%09/evil.example', '/w/acme/tickets?q=a%20b']) {
    const res = await new Client().submit('/signin', '/signin', { email, password, next });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, next);
    assert.ok(staysHere(res.headers.location));
  }
});
