/*
 * workspaces: creating a workspace, its members and their roles, the
 * invitations that bring people in, and the requester portal.
 *
 * Handlers decide who may call what (authz.h); this file keeps the rules
 * that need the database to hold still: a slug names one workspace, an
 * invitation is used once, and a workspace always keeps an admin.
 * Functions marked "in a transaction" expect the caller's db_begin(), so
 * the change and its audit row commit together.
 */
#ifndef HD_WORKSPACES_H
#define HD_WORKSPACES_H

#include <json-c/json.h>

#include "authz.h"
#include "crypto.h"
#include "outcome.h"

#define INVITE_DAYS	7

/* A workspace as one user sees it: with their role in it. */
struct workspace {
	long long	 id;
	char		*slug;
	char		*name;
	int		 portal_signup;
	enum role	 role;		/* ROLE_NONE: not a member */
	/* Agents and admins must sign in with two factors (twofactor.h),
	 * and whether this user has it on. */
	int		 require_2fa;
	int		 user_2fa;
	int		 suspended;	/* a member whose access an admin
					   suspended (member_suspend) */
	/* workspaces.version (sql/027-page-statements.sql): what a
	 * worker's cache of the workspace was made at (ws_changed). */
	long long	 version;
};

void	workspace_free(struct workspace *);

/* 1 when slug may not name a workspace ("admin", "new", ...). */
int	ws_slug_reserved(const char *slug);

/* In a transaction: the workspace and admin_id as its admin, and *id.
 * OK, E_TAKEN (another workspace has the slug), E_DB. */
enum outcome ws_create(const char *slug, const char *name, long long admin_id,
	    long long *id);

/* user_id's workspaces, by name: [{ slug, name, role, suspended }];
 * NULL on a database error. */
struct json_object *ws_list(long long user_id);

/*
 * The membership of user_id in the workspace named slug: the workspace
 * with user_id's role in it (ROLE_NONE when not a member, or for user_id
 * 0) and whether their access is suspended. The one lookup behind every
 * workspace page (R_WS: a non-member gets 404, a suspended member 403)
 * and the portal. OK with *out set (caller frees), E_NOT_FOUND
 * when there is no such workspace, E_DB.
 */
enum outcome ws_lookup(const char *slug, long long user_id, struct workspace **out);

/*
 * The same lookup as part of a statement that reads something else with
 * it (the session, lib/web/session.c: one round trip for both on every
 * workspace page): WS_MEMBER_COLUMNS in its select list, and
 * WS_MEMBER_JOIN(U) among its joins, where U is the SQL of the user's id
 * and the join's one placeholder is the slug. ws_member_row reads the
 * columns from column first of the current row: the workspace with the
 * user's role (ROLE_NONE: not a member), or NULL when there is no such
 * workspace (caller frees).
 */
#define WS_MEMBER_COLUMNS " w.id, w.slug, w.name, w.portal_signup, m.role," \
	" w.require_2fa, wt.enabled_at IS NOT NULL," \
	" m.suspended_at IS NOT NULL, w.version "
#define WS_MEMBER_NCOLS	9
#define WS_MEMBER_JOIN(U) " LEFT JOIN workspaces w ON w.slug = ?" \
	" LEFT JOIN memberships m ON m.workspace_id = w.id AND" \
	" m.user_id = " U \
	" LEFT JOIN user_totp wt ON wt.user_id = m.user_id "
struct dbres;
struct workspace *ws_member_row(const struct dbres *, unsigned first);

/*
 * In a transaction: bumps the version of ws_id (or of every workspace
 * user_id is a member of), which every worker's cache of the workspace
 * is checked against on its next page: to be called with every change
 * of who its members are, their roles, their suspension, or their names
 * (the ticket page's assignee list, tickets.h). OK, E_DB, E_DB_UNKNOWN.
 */
enum outcome ws_changed(long long ws_id);
enum outcome ws_changed_for_user(long long user_id);

/* In a transaction: whether agents and admins of ws_id must have
 * two-factor sign-in on to enter it. OK, E_DB, E_DB_UNKNOWN. */
enum outcome ws_set_require_2fa(long long ws_id, int on);
/* 1 when the workspace asks two-factor of role and the member has it
 * off: they are sent to turn it on before anything of it (requesters
 * never are). */
int	ws_needs_2fa(const struct workspace *);

/* OK, E_DB. */
enum outcome ws_update(long long ws_id, const char *name, int portal_signup);

/*
 * The address mail to the workspace is sent to (sql/021-mail-in.sql),
 * which the MTA delivers to helpdesk-mailgate: OK with *addr (caller
 * frees; NULL when none), E_NOT_FOUND, E_DB.
 */
enum outcome ws_inbound_address(long long ws_id, char **addr);
/* In a transaction: sets it (a plain address, lower-cased here) or
 * clears it (NULL or ""). OK, E_INVALID (not an address mime.h could
 * write), E_TAKEN (another workspace has it), E_DB, E_DB_UNKNOWN. */
enum outcome ws_set_inbound_address(long long ws_id, const char *addr);

/* Makes user_id a requester. OK, E_TAKEN (a member already), E_FORBIDDEN
 * (user_id's address is not confirmed), E_DB. */
enum outcome ws_join(long long ws_id, long long user_id);
/* Makes user_id a member with role. OK, E_TAKEN (a member already), E_DB. */
enum outcome member_add(long long ws_id, long long user_id, enum role);

/* Members with id, name, email, role, joined (date) and suspended,
 * admins first; NULL on a database error. */
struct json_object *member_list(long long ws_id);
/*
 * The member of ws_id whose account has this email (lower case, as
 * stored): OK with their user id in *id, E_NOT_FOUND when no member has
 * it, E_DB.
 */
enum outcome member_by_email(long long ws_id, const char *email,
	    long long *id);

/*
 * The same, for speaking of someone as their address (the requester of a
 * ticket opened for them, people copied): OK with *id, E_NOT_FOUND,
 * E_FORBIDDEN when the member's address is not confirmed, E_DB.
 */
enum outcome member_confirmed(long long ws_id, const char *email,
	    long long *id);

/* In a transaction. OK, E_NOT_FOUND (no such member here), E_LAST_ADMIN,
 * E_DB. */
enum outcome member_set_role(long long ws_id, long long user_id, enum role);
enum outcome member_remove(long long ws_id, long long user_id);

/*
 * In a transaction: suspends user_id's access to ws_id (by: the admin),
 * or gives it back. Nothing of theirs is deleted and the role stays; the
 * web core refuses a suspended member every page of the workspace. A
 * suspended admin does not count as the workspace's admin. OK (also when
 * already so), E_NOT_FOUND (no such member here), E_LAST_ADMIN (the only
 * admin who is not suspended), E_DB.
 */
enum outcome member_suspend(long long ws_id, long long user_id,
	    long long by);
enum outcome member_unsuspend(long long ws_id, long long user_id);

/*
 * Invitations. The link carries a random token; the table keeps only its
 * SHA-256. An invitation is for one email address, expires after
 * INVITE_DAYS and is used once. Revoking one makes it expire now, so its
 * link reads as expired and the row stays on record.
 */
enum invite_state {
	INVITE_VALID,
	INVITE_USED,
	INVITE_EXPIRED,
	INVITE_OTHER_EMAIL	/* valid, but for another address */
};

struct invitation {
	long long		 id;
	long long		 ws_id;
	char			*ws_slug;
	char			*ws_name;
	enum role		 role;
	enum invite_state	 state;
};

/* In a transaction: writes the new token into token[], sets *id and
 * mails the link to email (notify_invite, when mail is configured). OK,
 * E_DB. */
enum outcome invite_create(long long ws_id, const char *email, enum role,
	    long long invited_by, char token[TOKEN_HEX + 1], long long *id);
/* Pending invitations: [{ id, email, role, expires_at }]; NULL on a
 * database error. */
struct json_object *invite_pending(long long ws_id);
/* OK, E_NOT_FOUND (none pending with that id here), E_DB. */
enum outcome invite_revoke(long long ws_id, long long id);

/*
 * Finds the invitation of token for the signed-in email. With lock (in a
 * transaction) its row stays locked until commit. OK and fills *inv,
 * E_NOT_FOUND, E_DB.
 */
enum outcome invite_find(const char *token, const char *email, int lock,
	    struct invitation *inv);
void	invite_clear(struct invitation *);
/* In a transaction, after invite_find with lock found it valid: joins
 * user_id (a member keeps the role they have) and uses it up. OK,
 * E_FORBIDDEN (user_id's address is not confirmed), E_DB. */
enum outcome invite_accept(const struct invitation *, long long user_id);

#endif
