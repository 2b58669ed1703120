#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "mime.h"
#include "notify.h"
#include "users.h"
#include "util.h"
#include "workspaces.h"

/* Names that would read as a part of the site rather than a company. */
static const char *const reserved[] = {
	"account", "admin", "api", "app", "assets", "help", "healthz",
	"invite", "join", "login", "logout", "new", "settings", "signin",
	"signout", "signup", "static", "support", "system", "tickets", "w",
	"workspace", "workspaces", "www",
};

int
ws_slug_reserved(const char *slug)
{
	size_t i;

	for (i = 0; i < nitems(reserved); i++)
		if (str_eq(slug, reserved[i]))
			return 1;
	return 0;
}

enum outcome
ws_create(const char *slug, const char *name, long long admin_id,
    long long *id)
{
	enum outcome rc;

	if (db_exec("INSERT INTO workspaces (slug, name, created_at,"
	    " updated_at) VALUES (?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
	    "ss", slug, name) == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	*id = db_insert_id();
	/* A new workspace has no member: any answer but OK is the
	 * database's. */
	if ((rc = member_add(*id, admin_id, ROLE_ADMIN)) == E_TAKEN)
		return E_DB;
	return rc;
}

/* All rows of res as an array; NULL (and res freed) when res is. */
static struct json_object *
rows(struct dbres *res)
{
	struct json_object *a;

	if (res == NULL)
		return NULL;
	a = db_rows_json(res);
	db_free(res);
	return a;
}

struct json_object *
ws_list(long long user_id)
{
	return rows(db_query("SELECT w.slug, w.name, m.role,"
	    " m.suspended_at IS NOT NULL AS suspended FROM memberships m JOIN workspaces w ON w.id = m.workspace_id"
	    " WHERE m.user_id = ? ORDER BY w.name, w.id", "i", user_id));
}

struct workspace *
ws_member_row(const struct dbres *res, unsigned first)
{
	struct workspace *ws;

	if (db_str(res, first) == NULL)
		return NULL;
	ws = xcalloc(1, sizeof(*ws));
	ws->id = db_int(res, first);
	ws->slug = xstrdup(db_str(res, first + 1));
	ws->name = xstrdup(db_str(res, first + 2));
	ws->portal_signup = (int)db_int(res, first + 3);
	ws->role = role_parse(db_str(res, first + 4));
	ws->require_2fa = db_int(res, first + 5) != 0;
	ws->user_2fa = db_int(res, first + 6) != 0;
	ws->suspended = (int)db_int(res, first + 7);
	ws->version = db_int(res, first + 8);
	return ws;
}

enum outcome
ws_lookup(const char *slug, long long user_id, struct workspace **out)
{
	struct dbres *res;
	int rc;

	*out = NULL;
	/* The two-factor state rides along: one primary-key probe in the
	 * query every workspace page makes anyway. */
	res = db_query("SELECT" WS_MEMBER_COLUMNS "FROM (SELECT ? AS uid) x"
	    WS_MEMBER_JOIN("x.uid") "WHERE w.id IS NOT NULL", "is", user_id,
	    slug);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		*out = ws_member_row(res, 0);
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
ws_changed(long long ws_id)
{
	return db_exec("UPDATE workspaces SET version = version + 1"
	    " WHERE id = ?", "i", ws_id) == -1 ? db_error() : OK;
}

enum outcome
ws_changed_for_user(long long user_id)
{
	return db_exec("UPDATE workspaces w JOIN memberships m"
	    " ON m.workspace_id = w.id SET w.version = w.version + 1"
	    " WHERE m.user_id = ?", "i", user_id) == -1 ? db_error() : OK;
}

void
workspace_free(struct workspace *ws)
{
	if (ws == NULL)
		return;
	free(ws->slug);
	free(ws->name);
	free(ws);
}

enum outcome
ws_set_require_2fa(long long ws_id, int on)
{
	return db_exec("UPDATE workspaces SET require_2fa = ? WHERE id = ?",
	    "ii", (long long)(on != 0), ws_id) == -1 ? db_error() : OK;
}

int
ws_needs_2fa(const struct workspace *ws)
{
	return ws->require_2fa && !ws->user_2fa &&
	    (ws->role == ROLE_ADMIN || ws->role == ROLE_AGENT);
}

enum outcome
ws_update(long long ws_id, const char *name, int portal_signup)
{
	return db_exec("UPDATE workspaces SET name = ?, portal_signup = ?,"
	    " updated_at = UTC_TIMESTAMP() WHERE id = ?", "sii", name,
	    (long long)(portal_signup != 0), ws_id) == -1 ? db_error() : OK;
}

enum outcome
member_add(long long ws_id, long long user_id, enum role role)
{
	if (db_exec("INSERT INTO memberships (workspace_id, user_id, role,"
	    " created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())", "iis", ws_id,
	    user_id, role_name(role)) == -1)
		return db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	return ws_changed(ws_id);
}

enum outcome
ws_join(long long ws_id, long long user_id)
{
	enum outcome rc;

	/* Joining is done as one's address: only a confirmed one. */
	if ((rc = user_confirmed(user_id)) != OK)
		return rc;
	return member_add(ws_id, user_id, ROLE_REQUESTER);
}

enum outcome
member_confirmed(long long ws_id, const char *email, long long *id)
{
	enum outcome rc;

	if ((rc = member_by_email(ws_id, email, id)) != OK)
		return rc;
	return user_confirmed(*id);
}

struct json_object *
member_list(long long ws_id)
{
	return rows(db_query("SELECT u.id, u.name, u.email, m.role,"
	    " DATE_FORMAT(m.created_at, '%Y-%m-%d %H:%i:%s') AS joined,"
	    " m.suspended_at IS NOT NULL AS suspended"
	    " FROM memberships m JOIN users u ON u.id = m.user_id"
	    " WHERE m.workspace_id = ? ORDER BY m.role, u.name, u.id",
	    "i", ws_id));
}

enum outcome
member_by_email(long long ws_id, const char *email, long long *id)
{
	struct dbres *res;
	int rc;

	res = db_query("SELECT u.id FROM users u JOIN memberships m"
	    " ON m.user_id = u.id WHERE m.workspace_id = ? AND u.email = ?",
	    "is", ws_id, email);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		*id = db_int(res, 0);
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/*
 * Locks the workspace's admin memberships and the member's own row, and
 * says whether taking the admin role (or access) from user_id would leave
 * no admin who can act: a suspended admin does not count. The locks make
 * two admins demoting (or suspending) each other at once wait in turn:
 * the second sees the first one's outcome. OK with *role set, E_NOT_FOUND,
 * E_DB.
 */
static enum outcome
lock_member(long long ws_id, long long user_id, enum role *role,
    int *last_admin)
{
	long long admins = 0;
	struct dbres *res;
	int rc, active = 0;

	res = db_query("SELECT user_id, suspended_at IS NULL FROM memberships"
	    " WHERE workspace_id = ? AND role = ? FOR UPDATE", "is", ws_id,
	    role_name(ROLE_ADMIN));
	if (res == NULL)
		return db_error();
	while ((rc = db_next(res)) == 1) {
		if (db_int(res, 1) == 0)
			continue;
		admins++;
		if (db_int(res, 0) == user_id)
			active = 1;
	}
	db_free(res);
	if (rc == -1)
		return db_error();
	res = db_query("SELECT role FROM memberships"
	    " WHERE workspace_id = ? AND user_id = ? FOR UPDATE", "ii",
	    ws_id, user_id);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) != 1) {
		db_free(res);
		return rc == 0 ? E_NOT_FOUND : db_error();
	}
	*role = role_parse(db_str(res, 0));
	db_free(res);
	*last_admin = *role == ROLE_ADMIN && active && admins <= 1;
	return OK;
}

enum outcome
member_set_role(long long ws_id, long long user_id, enum role role)
{
	enum outcome rc;
	enum role cur;
	int last;

	if ((rc = lock_member(ws_id, user_id, &cur, &last)) != OK)
		return rc;
	if (cur == role)
		return OK;
	if (last && role != ROLE_ADMIN)
		return E_LAST_ADMIN;
	if (db_exec("UPDATE memberships SET role = ?"
	    " WHERE workspace_id = ? AND user_id = ?", "sii", role_name(role),
	    ws_id, user_id) == -1)
		return db_error();
	return ws_changed(ws_id);
}

enum outcome
member_remove(long long ws_id, long long user_id)
{
	enum outcome rc;
	enum role cur;
	int last;

	if ((rc = lock_member(ws_id, user_id, &cur, &last)) != OK)
		return rc;
	if (last)
		return E_LAST_ADMIN;
	if (db_exec("DELETE FROM memberships"
	    " WHERE workspace_id = ? AND user_id = ?", "ii", ws_id,
	    user_id) == -1)
		return db_error();
	return ws_changed(ws_id);
}

enum outcome
member_suspend(long long ws_id, long long user_id, long long by)
{
	enum outcome rc;
	enum role cur;
	int last;

	if ((rc = lock_member(ws_id, user_id, &cur, &last)) != OK)
		return rc;
	if (last)
		return E_LAST_ADMIN;
	if (db_exec("UPDATE memberships SET suspended_at = COALESCE("
	    "suspended_at, UTC_TIMESTAMP()), suspended_by = COALESCE("
	    "suspended_by, NULLIF(?, 0)) WHERE workspace_id = ?"
	    " AND user_id = ?", "iii", by, ws_id, user_id) == -1)
		return db_error();
	return ws_changed(ws_id);
}

enum outcome
member_unsuspend(long long ws_id, long long user_id)
{
	long long n;

	n = db_scalar("SELECT COUNT(*) FROM memberships WHERE"
	    " workspace_id = ? AND user_id = ? FOR UPDATE", "ii", ws_id,
	    user_id);
	if (n <= 0)
		return n == 0 ? E_NOT_FOUND : db_error();
	if (db_exec("UPDATE memberships SET suspended_at = NULL,"
	    " suspended_by = NULL WHERE workspace_id = ? AND user_id = ?",
	    "ii", ws_id, user_id) == -1)
		return db_error();
	return ws_changed(ws_id);
}

static void
token_hash(const char *token, unsigned char out[32])
{
	sha256(token, strlen(token), out);
}

enum outcome
invite_create(long long ws_id, const char *email, enum role role,
    long long invited_by, char token[TOKEN_HEX + 1], long long *id)
{
	unsigned char h[32];

	token_new(token);
	token_hash(token, h);
	if (db_exec("INSERT INTO invitations (workspace_id, email, role,"
	    " token_hash, invited_by, created_at, expires_at) VALUES"
	    " (?, ?, ?, ?, ?, UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP() + INTERVAL ? DAY)", "issbii", ws_id, email,
	    role_name(role), h, sizeof(h), invited_by,
	    (long long)INVITE_DAYS) == -1)
		return db_error();
	*id = db_insert_id();
	/* The link by mail, committed with the invitation. */
	return notify_invite(ws_id, email, invited_by, token);
}

struct json_object *
invite_pending(long long ws_id)
{
	return rows(db_query("SELECT id, email, role,"
	    " DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s') AS expires"
	    " FROM invitations WHERE workspace_id = ? AND accepted_at IS NULL"
	    " AND expires_at > UTC_TIMESTAMP() ORDER BY id", "i", ws_id));
}

enum outcome
invite_revoke(long long ws_id, long long id)
{
	long long n;

	n = db_exec("UPDATE invitations"
	    " SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND"
	    " WHERE id = ? AND workspace_id = ? AND accepted_at IS NULL"
	    " AND expires_at > UTC_TIMESTAMP()", "ii", id, ws_id);
	if (n == -1)
		return db_error();
	return n == 0 ? E_NOT_FOUND : OK;
}

/* The same question, locking the row or not: SQL text is never built. */
#define INVITE_FIND \
	"SELECT i.id, i.workspace_id, w.slug, w.name, i.role," \
	" i.accepted_at IS NOT NULL, i.expires_at <= UTC_TIMESTAMP()," \
	" i.email = ?" \
	" FROM invitations i JOIN workspaces w ON w.id = i.workspace_id" \
	" WHERE i.token_hash = ?"

enum outcome
invite_find(const char *token, const char *email, int lock,
    struct invitation *inv)
{
	unsigned char h[32];
	struct dbres *res;
	int rc;

	memset(inv, 0, sizeof(*inv));
	if (!token_valid(token))
		return E_NOT_FOUND;
	token_hash(token, h);
	res = db_query(lock ? INVITE_FIND " FOR UPDATE" : INVITE_FIND, "sb",
	    email, h, sizeof(h));
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) != 1) {
		db_free(res);
		return rc == 0 ? E_NOT_FOUND : db_error();
	}
	inv->id = db_int(res, 0);
	inv->ws_id = db_int(res, 1);
	inv->ws_slug = xstrdup(db_str(res, 2));
	inv->ws_name = xstrdup(db_str(res, 3));
	inv->role = role_parse(db_str(res, 4));
	if (db_int(res, 5))
		inv->state = INVITE_USED;
	else if (db_int(res, 6))
		inv->state = INVITE_EXPIRED;
	else if (!db_int(res, 7))
		inv->state = INVITE_OTHER_EMAIL;
	else
		inv->state = INVITE_VALID;
	db_free(res);
	return OK;
}

void
invite_clear(struct invitation *inv)
{
	free(inv->ws_slug);
	free(inv->ws_name);
	memset(inv, 0, sizeof(*inv));
}

enum outcome
invite_accept(const struct invitation *inv, long long user_id)
{
	enum outcome rc;

	/* The invitation names an address: only its confirmed owner. */
	if ((rc = user_confirmed(user_id)) != OK)
		return rc;
	rc = member_add(inv->ws_id, user_id, inv->role);
	/* A member already keeps the role they have. */
	if (rc != OK && rc != E_TAKEN)
		return rc;
	return db_exec("UPDATE invitations SET accepted_at = UTC_TIMESTAMP(),"
	    " accepted_by = ? WHERE id = ?", "ii", user_id, inv->id) == -1 ?
	    db_error() : OK;
}

enum outcome
ws_inbound_address(long long ws_id, char **addr)
{
	struct dbres *res;
	int rc;

	*addr = NULL;
	if ((res = db_query("SELECT inbound_address FROM workspaces"
	    " WHERE id = ?", "i", ws_id)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1 && db_str(res, 0) != NULL)
		*addr = xstrdup(db_str(res, 0));
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
ws_set_inbound_address(long long ws_id, const char *addr)
{
	char *lower = NULL;
	enum outcome rc = OK;
	size_t i;

	if (addr != NULL && *addr != '\0') {
		/* What the mailgate compares recipients with: lower case,
		 * as mailparse.h gives them. */
		lower = xstrdup(addr);
		for (i = 0; lower[i] != '\0'; i++)
			if (lower[i] >= 'A' && lower[i] <= 'Z')
				lower[i] = (char)(lower[i] - 'A' + 'a');
		if (!mime_addr_ok(lower)) {
			free(lower);
			return E_INVALID;
		}
	}
	if (db_exec("UPDATE workspaces SET inbound_address = ?,"
	    " updated_at = UTC_TIMESTAMP() WHERE id = ?", "si", lower,
	    ws_id) == -1)
		rc = db_errno() == DB_ER_DUP_ENTRY ? E_TAKEN : db_error();
	free(lower);
	return rc;
}
