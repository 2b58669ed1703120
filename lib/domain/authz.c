#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "authz.h"
#include "util.h"

/*
 * The permission matrix. docs/permissions.md is this table in words, and
 * tests/integration/permissions.test.js checks every cell through HTTP.
 */
static const unsigned char matrix[ROLE__MAX][P__MAX] = {
	[ROLE_NONE] = { 0 },
	[ROLE_REQUESTER] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_COMMENT] = 1,
	},
	[ROLE_AGENT] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_TICKET_VIEW_ALL] = 1,
		[P_TICKET_TRIAGE] = 1, [P_COMMENT] = 1, [P_NOTE] = 1,
		[P_ASSIGNEE] = 1,
	},
	[ROLE_ADMIN] = {
		[P_NONE] = 1, [P_TICKET_CREATE] = 1, [P_TICKET_VIEW_ALL] = 1,
		[P_TICKET_TRIAGE] = 1, [P_COMMENT] = 1, [P_NOTE] = 1,
		[P_MEMBERS] = 1, [P_SETTINGS] = 1, [P_AUDIT] = 1,
		[P_ASSIGNEE] = 1, [P_HOLDS] = 1,
	},
};

static const char *const role_names[ROLE__MAX] = {
	[ROLE_NONE] = "none", [ROLE_REQUESTER] = "requester",
	[ROLE_AGENT] = "agent", [ROLE_ADMIN] = "admin",
};

int
role_can(enum role role, enum perm p)
{
	if (role < 0 || role >= ROLE__MAX || p < 0 || p >= P__MAX)
		return 0;
	return matrix[role][p];
}

const char *
role_name(enum role role)
{
	return role >= 0 && role < ROLE__MAX ? role_names[role] : "none";
}

enum role
role_parse(const char *s)
{
	int i;

	for (i = ROLE_REQUESTER; i < ROLE__MAX; i++)
		if (str_eq(s, role_names[i]))
			return (enum role)i;
	return ROLE_NONE;
}

_Static_assert(AUTHZ_ROLES == ROLE__MAX - 1, "AUTHZ_ROLE_IN binds a name "
    "for every role but ROLE_NONE");

void
authz_roles(enum perm p, const char *names[AUTHZ_ROLES])
{
	int i;

	for (i = 0; i < AUTHZ_ROLES; i++)
		names[i] = role_can((enum role)(i + 1), p) ?
		    role_names[i + 1] : NULL;
}

const char *
authz_entry_visible(const struct actor *a)
{
	return actor_can(a, P_NOTE) ? " TRUE " : " a.internal = 0 ";
}

const char *
authz_ticket_updated(const struct actor *a)
{
	return actor_can(a, P_TICKET_VIEW_ALL) ? "t.updated_at" :
	    "t.public_updated_at";
}
