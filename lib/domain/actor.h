/*
 * actor: who is acting, as every model function, audit row and
 * visibility predicate (authz.h) sees it, whoever calls: a page, the
 * demo loader, and later the mailer and the retention job.
 *
 * An actor is a workspace and a role in it (or none), a user (or none),
 * and either the browser a request came from or the name of the program
 * acting without one ("demo"; later "mail", "retention"). The web core
 * builds one per request, after the membership load (lib/web/server.c);
 * other programs build theirs with the functions below. Strings are
 * borrowed: an actor lives no longer than what it points to.
 */
#ifndef HD_ACTOR_H
#define HD_ACTOR_H

#include "authz.h"

struct kvlist;

struct actor {
	/* The workspace acted in; 0 (and ROLE_NONE) outside one. */
	long long	 ws_id;
	const char	*ws_slug;
	enum role	 role;
	/* The workspace's version as this unit of work read it (0: not
	 * read): per-worker caches of the workspace are used only while
	 * it is theirs (workspaces.h, ws_changed). */
	long long	 ws_version;
	/* The person acting; 0 for none (before sign-in, a system job). */
	long long	 user_id;
	const char	*user_name;
	const char	*user_email;
	/* With a request: the client's address, its User-Agent, and its
	 * device cookie (throttle.h); each NULL when absent. */
	const char	*addr;
	const char	*agent;
	const char	*device;
	/* Without a request: the program acting ("demo"). */
	const char	*system;
	/* Markdown rendered in this unit of work (markdown_cached): a form's
	 * check and the model share it. Writes of Markdown need one. */
	struct kvlist	*rendered;
};

/* A program acting on its own: no workspace, no user, no browser. */
void	actor_system(struct actor *, const char *name,
	    struct kvlist *rendered);
/* Acts as user id from now on. */
void	actor_user(struct actor *, long long id, const char *name,
	    const char *email);
/* Acts in workspace ws_id with role (ROLE_NONE: outside it). */
void	actor_workspace(struct actor *, long long ws_id, const char *slug,
	    enum role);

/* 1 when the actor's role in its workspace has perm; 0 outside one. */
int	actor_can(const struct actor *, enum perm);

#endif
