#include "audit.h"
#include "db.h"

enum outcome
audit(const struct actor *a, long long workspace_id, long long actor_id,
    const char *action, const char *object_type, long long object_id)
{
	long long who = a->user_id ? a->user_id : actor_id;

	return db_exec("INSERT INTO audit_log (workspace_id, actor_id, action,"
	    " object_type, object_id, ip, user_agent, created_at) VALUES"
	    " (NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?, LEFT(?, 255),"
	    " UTC_TIMESTAMP())", "iississ", workspace_id, who, action,
	    /* A program acting on its own (actor_system) has no address:
	     * its name stands in the browser's column. */
	    object_type, object_id, a->addr ? a->addr : "", a->agent ?
	    a->agent : a->system) == -1 ? db_error() : OK;
}

struct json_object *
audit_page(long long ws_id, long long before, int n, long long *older)
{
	struct json_object *rows;
	struct dbres *res;

	*older = 0;
	res = db_query("SELECT a.id,"
	    " DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i:%s') AS time,"
	    " a.action, a.object_type, a.object_id, a.ip, a.user_agent,"
	    " u.name AS actor_name, u.email AS actor_email"
	    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
	    " WHERE a.workspace_id = ? AND a.id < ?"
	    " ORDER BY a.id DESC LIMIT ?", "iii", ws_id, before,
	    (long long)n + 1);
	if (res == NULL)
		return NULL;
	rows = db_page_json(res, n, older);
	db_free(res);
	return rows;
}
