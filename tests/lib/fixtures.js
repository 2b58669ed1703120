// Shared set-ups built through HTTP only, as people would build them: a
// workspace with one signed-in member of each role, and an outsider.
'use strict';
const assert = require('node:assert/strict');
const { Client, uniqueEmail, signUp } = require('./client');
const { sql, q } = require('./db');

let seq = 0;
// A fresh workspace URL name (2-40 of a-z, 0-9, inner dashes).
function uniqueSlug(tag = 'ws') {
  seq += 1;
  return `${tag}-${process.pid.toString(36)}${Date.now().toString(36)}${seq}`;
}

// The invitation link on an admin's members page after inviting: shown
// absolute (base_url + /invite/TOKEN) in a read-only field; its path, for
// the test clients.
function inviteLink(body) {
  const m = body.match(/id="invite-link"[^>]* value="(?:https?:\/\/[^/"]+)?(\/invite\/[0-9a-f]{64})"/);
  return m ? m[1] : null;
}

// As admin (a Client on any page of the workspace): invites email as role
// and returns the one-time link from the page.
async function invite(admin, slug, email, role) {
  const res = await admin.submit(`/w/${slug}/admin/members`, `/w/${slug}/admin/members/invite`, { email, role });
  assert.equal(res.status, 200, `inviting ${email}`);
  const link = inviteLink(res.body);
  assert.ok(link, 'the page shows the invitation link');
  return link;
}

// As client: opens the invitation and accepts it.
async function accept(client, link) {
  const res = await client.submit(link, link, {});
  assert.equal(res.status, 303, `accepting ${link}`);
  return res;
}

async function newUser(role) {
  const client = new Client();
  const name = `${role[0].toUpperCase()}${role.slice(1)} ${seq}`;
  const { res, email, password } = await signUp(client, { name, email: uniqueEmail(role) });
  assert.equal(res.status, 303, `signing up the ${role}`);
  return { client, user: { name, email, password } };
}

// A workspace with an admin, an agent and a requester, each a signed-in
// Client, and an outsider signed in but not a member. With portal: true
// its portal sign-up is on.
async function workspaceWithMembers({ portal = false } = {}) {
  const roles = ['admin', 'agent', 'requester', 'outsider'];
  const made = await Promise.all(roles.map(newUser));
  const by = Object.fromEntries(roles.map((r, i) => [r, made[i]]));
  const slug = uniqueSlug();
  const wsName = `Workspace ${slug}`;
  const admin = by.admin.client;

  const created = await admin.submit('/workspaces', '/workspaces', { name: wsName, slug });
  assert.equal(created.status, 303, 'creating the workspace');
  for (const role of ['agent', 'requester']) {
    const link = await invite(admin, slug, by[role].user.email, role);
    await accept(by[role].client, link);
  }
  if (portal) {
    const res = await admin.submit(`/w/${slug}/admin/settings`, `/w/${slug}/admin/settings`, { name: wsName, portal_signup: '1' });
    assert.equal(res.status, 303, 'turning the portal on');
  }

  const emails = roles.map((r) => q(by[r].user.email)).join(', ');
  const ids = new Map(sql(`SELECT email, id FROM users WHERE email IN (${emails})`));
  const users = {};
  for (const role of roles) users[role] = { ...by[role].user, id: Number(ids.get(by[role].user.email)) };
  return {
    slug, wsName, users,
    admin, agent: by.agent.client, requester: by.requester.client, outsider: by.outsider.client,
  };
}

module.exports = { workspaceWithMembers, uniqueSlug, inviteLink, invite, accept, newUser };
