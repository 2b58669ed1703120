/*
 * authz: the one place that decides who may do what in a workspace.
 *
 * Who acts is a struct actor (actor.h): a workspace and the role in it, a
 * user, and the browser or the program acting. The web core builds one
 * per request after loading the caller's membership of the route's :slug
 * (R_WS): anyone who is not a member gets 404 (the workspace's pages and
 * ids reveal nothing); a member whose role lacks the route's permission
 * gets 403. Queries for workspace data take the actor and scope
 * themselves by its workspace and role through the predicates below: see
 * docs/permissions.md.
 */
#ifndef HD_AUTHZ_H
#define HD_AUTHZ_H

enum role {
	ROLE_NONE,
	ROLE_REQUESTER,
	ROLE_AGENT,
	ROLE_ADMIN,
	ROLE__MAX
};

enum perm {
	P_NONE,			/* any member */
	P_TICKET_CREATE,
	P_TICKET_VIEW_ALL,	/* every ticket, not only one's own, and all
				   of each (see "What of a ticket" below) */
	P_TICKET_TRIAGE,	/* status, priority, assignee, tags, cc */
	P_COMMENT,		/* public comments on visible tickets */
	P_NOTE,			/* internal notes: read and write */
	P_MEMBERS,		/* invite, change roles, remove */
	P_SETTINGS,
	P_AUDIT,
	P_ASSIGNEE,		/* may be assigned tickets (not a route's) */
	P_HOLDS,		/* legal holds: place, lift, see (holds.h) */
	P__MAX
};

/* 1 when role has perm. */
int		 role_can(enum role, enum perm);
const char	*role_name(enum role);
enum role	 role_parse(const char *);	/* ROLE_NONE if unknown */

/*
 * SQL predicate: column C holds a role that has a permission, from the
 * matrix, never from role names written into SQL. Binds AUTHZ_ROLES
 * strings: authz_roles(perm, names), then AUTHZ_ROLES_ARGS(names).
 */
#define AUTHZ_ROLES	3	/* every role but ROLE_NONE */
#define AUTHZ_ROLE_IN(C)	" " C " IN (?, ?, ?) "
#define AUTHZ_ROLES_ARGS(n)	(n)[0], (n)[1], (n)[2]
/* The names of the roles that have p, NULL (matches nothing) for the
 * others. */
void		 authz_roles(enum perm, const char *names[AUTHZ_ROLES]);

/*
 * The predicates below take a const struct actor * (actor.h) and scope
 * by its workspace and role.
 */

/*
 * SQL predicate: ticket alias T is visible to the caller. Binds three
 * arguments, in this order: see_all (actor_can(a, P_TICKET_VIEW_ALL)),
 * user id, user id. Use AUTHZ_TICKET_ARGS(a) to pass them.
 */
#define AUTHZ_TICKET_VISIBLE(T) \
	" (? = 1 OR " T ".requester_id = ? OR EXISTS (SELECT 1 FROM" \
	" ticket_cc cc WHERE cc.ticket_id = " T ".id AND cc.user_id = ?)) "
#define AUTHZ_TICKET_ARGS(a) \
	(long long)actor_can((a), P_TICKET_VIEW_ALL), (a)->user_id, (a)->user_id

/*
 * SQL join for lists (queue, counts, search) of someone who may not see
 * every ticket: ticket alias T joined to the set of their own tickets and
 * those they are copied on, built first from two indexed lookups. The
 * one-ticket predicate above, with its OR, would make MariaDB read every
 * ticket of the workspace to list a requester's ten (and an IN with a
 * UNION is run once per row). Binds: workspace id, user id, user id
 * (AUTHZ_MINE_ARGS).
 */
#define AUTHZ_TICKET_MINE_JOIN(T) \
	" JOIN (SELECT x.id FROM tickets x WHERE x.workspace_id = ? AND" \
	" x.requester_id = ? UNION SELECT cc.ticket_id FROM ticket_cc cc" \
	" WHERE cc.user_id = ?) mine ON mine.id = " T ".id "
#define AUTHZ_MINE_ARGS(a)	(a)->ws_id, (a)->user_id, (a)->user_id

/*
 * SQL predicate: comment alias C is visible (public, or the caller may read
 * internal notes). Binds one argument: AUTHZ_NOTE_ARG(a).
 */
#define AUTHZ_COMMENT_VISIBLE(C) " (" C ".internal = 0 OR ? = 1) "
#define AUTHZ_NOTE_ARG(a)	(long long)actor_can((a), P_NOTE)

/*
 * What of a ticket the caller sees. With P_TICKET_VIEW_ALL, all of it. A
 * requester sees its number, subject, text, status, requester, creation,
 * public replies (with their files) and status changes; priority,
 * assignee, tags, who is copied and internal notes are agent-only, and so
 * is every change to them. Nothing a requester loads may depend on those:
 * not a field, an order, a time, a cursor, a count, nor which filters
 * apply (ticket_load, ticket_queue and queue_filter_scope follow this).
 *
 * authz_ticket_updated: the column of ticket alias t that holds when it
 * last changed as the caller sees it, "t.updated_at" (any change) or
 * "t.public_updated_at" (creation, public replies, status changes): a
 * constant, to append to SQL text.
 */
struct actor;
const char	*authz_ticket_updated(const struct actor *);

/*
 * authz_entry_visible: a predicate, without placeholders, that an entry
 * "a" of the search index (search_words) is in a document the caller may
 * read: " TRUE " for a caller who reads internal notes, " a.internal = 0 "
 * otherwise; a constant, to append to SQL text. No column is named when
 * none is needed, so that the word key alone answers an agent's search
 * (AUTHZ_COMMENT_VISIBLE names internal whatever the caller: a read of the
 * row for every entry).
 */
const char	*authz_entry_visible(const struct actor *);

#endif
