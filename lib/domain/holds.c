/*
 * holds: placing, lifting and reading legal holds. See holds.h.
 */
#include <string.h>

#include "audit.h"
#include "db.h"
#include "holds.h"
#include "util.h"

static const char *const scope_names[HOLD__MAX] = {
	[HOLD_WORKSPACE] = "workspace", [HOLD_TICKET] = "ticket",
	[HOLD_PERSON] = "person",
};

const char *
hold_scope_name(enum hold_scope s)
{
	return s > HOLD_NONE && s < HOLD__MAX ? scope_names[s] : NULL;
}

enum hold_scope
hold_scope_parse(const char *s)
{
	int i;

	for (i = HOLD_NONE + 1; i < HOLD__MAX; i++)
		if (str_eq(s, scope_names[i]))
			return (enum hold_scope)i;
	return HOLD_NONE;
}

/* Characters (code points) of valid UTF-8. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The id of ticket number num of workspace ws: > 0, 0 for none, -1. */
static long long
ticket_id_of(long long ws, long long num)
{
	long long id;

	id = db_scalar("SELECT id FROM tickets WHERE workspace_id = ?"
	    " AND number = ?", "ii", ws, num);
	return id > 0 ? id : db_failed() ? -1 : 0;
}

enum outcome
hold_place(const struct actor *a, enum hold_scope scope,
    long long ticket_num, long long user_id, const char *reason,
    long long *id)
{
	long long tid = 0, uid = 0, n;

	*id = 0;
	if (hold_scope_name(scope) == NULL || reason == NULL ||
	    *reason == '\0' || chars(reason) > HOLD_REASON_MAX)
		return E_INVALID;
	if (scope == HOLD_TICKET) {
		if ((tid = ticket_id_of(a->ws_id, ticket_num)) == -1)
			return db_error();
		if (tid == 0)
			return E_NOT_FOUND;
	} else if (scope == HOLD_PERSON) {
		n = db_scalar("SELECT COUNT(*) FROM memberships"
		    " WHERE workspace_id = ? AND user_id = ?", "ii", a->ws_id,
		    user_id);
		if (n < 0)
			return db_error();
		if (n == 0)
			return E_NOT_FOUND;
		uid = user_id;
	}
	if (db_exec("INSERT INTO legal_holds (workspace_id, scope, ticket_id,"
	    " user_id, reason, placed_by, placed_at) VALUES (?, ?,"
	    " NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, 0), UTC_TIMESTAMP())",
	    "isiisi", a->ws_id, hold_scope_name(scope), tid, uid, reason,
	    a->user_id) == -1)
		return db_error();
	*id = db_insert_id();
	return audit(a, a->ws_id, 0, "hold.place", "hold", *id);
}

enum outcome
hold_lift(const struct actor *a, long long id)
{
	long long n;

	n = db_scalar("SELECT id FROM legal_holds WHERE id = ?"
	    " AND workspace_id = ? AND lifted_at IS NULL FOR UPDATE", "ii",
	    id, a->ws_id);
	if (n <= 0)
		return db_failed() ? db_error() : E_NOT_FOUND;
	if (db_exec("UPDATE legal_holds SET lifted_at = UTC_TIMESTAMP(),"
	    " lifted_by = NULLIF(?, 0) WHERE id = ?", "ii", a->user_id,
	    id) == -1)
		return db_error();
	return audit(a, a->ws_id, 0, "hold.lift", "hold", id);
}

/* The columns of a hold as hold_list shows it, of alias h. */
#define HOLD_COLS \
	"SELECT h.id, h.scope, t.number AS ticket_number," \
	" p.name AS person_name, h.reason, pb.name AS placed_by," \
	" DATE_FORMAT(h.placed_at, '%Y-%m-%d %H:%i:%s') AS placed_at," \
	" lb.name AS lifted_by," \
	" DATE_FORMAT(h.lifted_at, '%Y-%m-%d %H:%i:%s') AS lifted_at," \
	" h.lifted_at IS NULL AS active" \
	" FROM legal_holds h LEFT JOIN tickets t ON t.id = h.ticket_id" \
	" LEFT JOIN users p ON p.id = h.user_id" \
	" LEFT JOIN users pb ON pb.id = h.placed_by" \
	" LEFT JOIN users lb ON lb.id = h.lifted_by"

static struct json_object *
rows(struct dbres *res)
{
	struct json_object *list;

	if (res == NULL)
		return NULL;
	list = db_rows_json(res);
	db_free(res);
	return list;
}

struct json_object *
hold_list(const struct actor *a)
{
	return rows(db_query(HOLD_COLS " WHERE h.workspace_id = ?"
	    " ORDER BY h.lifted_at IS NOT NULL, h.id DESC", "i", a->ws_id));
}

enum outcome
hold_get(const struct actor *a, long long id, struct json_object **out)
{
	struct json_object *list;

	*out = NULL;
	if ((list = rows(db_query(HOLD_COLS " WHERE h.id = ?"
	    " AND h.workspace_id = ? AND h.lifted_at IS NULL", "ii", id,
	    a->ws_id))) == NULL)
		return E_DB;
	if (json_object_array_length(list) == 1)
		*out = json_object_get(json_object_array_get_idx(list, 0));
	json_object_put(list);
	return *out != NULL ? OK : E_NOT_FOUND;
}

/* 1 when n > 0, 0, or -1 for a database error. */
static int
yes(long long n)
{
	return n > 0 ? 1 : n == 0 ? 0 : -1;
}

int
hold_on_workspace(long long ws_id)
{
	return yes(db_scalar("SELECT COUNT(*) FROM legal_holds"
	    " WHERE workspace_id = ? AND lifted_at IS NULL"
	    " AND scope = 'workspace'", "i", ws_id));
}

int
hold_on_ticket(long long ws_id, long long ticket_id)
{
	return yes(db_scalar("SELECT COUNT(*) FROM legal_holds"
	    " WHERE workspace_id = ? AND lifted_at IS NULL"
	    " AND (scope = 'workspace' OR (scope = 'ticket'"
	    " AND ticket_id = ?))", "ii", ws_id, ticket_id));
}

int
hold_on_person(long long ws_id, long long user_id)
{
	return yes(db_scalar("SELECT COUNT(*) FROM legal_holds"
	    " WHERE workspace_id = ? AND lifted_at IS NULL"
	    " AND (scope = 'workspace' OR (scope = 'person'"
	    " AND user_id = ?))", "ii", ws_id, user_id));
}

int
hold_any(long long ws_id)
{
	return yes(db_scalar("SELECT COUNT(*) FROM legal_holds"
	    " WHERE workspace_id = ? AND lifted_at IS NULL", "i", ws_id));
}

struct json_object *
hold_ticket_reasons(const struct actor *a, long long ticket_id)
{
	return rows(db_query("SELECT scope, reason FROM legal_holds"
	    " WHERE workspace_id = ? AND lifted_at IS NULL"
	    " AND (scope = 'workspace' OR (scope = 'ticket'"
	    " AND ticket_id = ?)) ORDER BY id", "ii", a->ws_id, ticket_id));
}

/*
 * Active holds of workspace column WS that cover user ? there: the
 * workspace's where they are a member or wrote something, one of a ticket
 * they opened or replied on, their own. Binds the user id six times.
 */
#define COVERS(WS) \
	" h.workspace_id = " WS " AND h.lifted_at IS NULL AND (" \
	" (h.scope = 'person' AND h.user_id = ?) OR" \
	" (h.scope = 'ticket' AND (EXISTS (SELECT 1 FROM tickets x" \
	"  WHERE x.id = h.ticket_id AND x.requester_id = ?) OR" \
	"  EXISTS (SELECT 1 FROM comments c WHERE c.ticket_id = h.ticket_id" \
	"  AND c.author_id = ?))) OR" \
	" (h.scope = 'workspace' AND (EXISTS (SELECT 1 FROM memberships m" \
	"  WHERE m.workspace_id = h.workspace_id AND m.user_id = ?) OR" \
	"  EXISTS (SELECT 1 FROM tickets x WHERE x.workspace_id =" \
	"  h.workspace_id AND x.requester_id = ?) OR" \
	"  EXISTS (SELECT 1 FROM comments c WHERE c.workspace_id =" \
	"  h.workspace_id AND c.author_id = ?)))) "

struct dbres *
hold_for_person_rows(long long user_id)
{
	return db_query("SELECT w.name AS workspace, h.scope,"
	    " t.number AS ticket_number, h.reason,"
	    " DATE_FORMAT(h.placed_at, '%Y-%m-%dT%H:%i:%sZ') AS placed_at"
	    " FROM legal_holds h JOIN workspaces w ON w.id = h.workspace_id"
	    " LEFT JOIN tickets t ON t.id = h.ticket_id"
	    " WHERE" COVERS("h.workspace_id") "ORDER BY w.name, h.id",
	    "iiiiii", user_id, user_id, user_id, user_id, user_id,
	    user_id);
}

struct json_object *
hold_for_person(long long user_id)
{
	return rows(hold_for_person_rows(user_id));
}

enum outcome
hold_blocking_member(const struct actor *a, long long user_id,
    struct json_object **hold)
{
	struct dbres *res;
	int rc;

	*hold = NULL;
	res = db_query("SELECT h.scope, t.number AS ticket_number, h.reason"
	    " FROM legal_holds h LEFT JOIN tickets t ON t.id = h.ticket_id"
	    " WHERE" COVERS("?") "ORDER BY h.id LIMIT 1", "iiiiiii",
	    a->ws_id, user_id, user_id, user_id, user_id, user_id, user_id);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		*hold = db_row_json(res);
	db_free(res);
	return rc == -1 ? db_error() : OK;
}
