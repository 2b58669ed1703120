#include <string.h>

#include "actor.h"

void
actor_system(struct actor *a, const char *name, struct kvlist *rendered)
{
	memset(a, 0, sizeof(*a));
	a->role = ROLE_NONE;
	a->system = name;
	a->rendered = rendered;
}

void
actor_user(struct actor *a, long long id, const char *name,
    const char *email)
{
	a->user_id = id;
	a->user_name = name;
	a->user_email = email;
}

void
actor_workspace(struct actor *a, long long ws_id, const char *slug,
    enum role role)
{
	a->ws_id = ws_id;
	a->ws_slug = slug;
	a->role = ws_id ? role : ROLE_NONE;
	a->ws_version = 0;
}

int
actor_can(const struct actor *a, enum perm p)
{
	return a->ws_id != 0 && role_can(a->role, p);
}
