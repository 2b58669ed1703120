#include <string.h>

#include "config.h"
#include "db.h"
#include "parse.h"
#include "sessions.h"

/* The browser of a row's user_agent column (i) in words, as "browser". */
static void
add_browser(struct json_object *o, const struct dbres *res, unsigned i)
{
	char words[USERAGENT_WORDS];

	useragent_words(db_str(res, i), db_len(res, i), words, sizeof(words));
	json_object_object_add(o, "browser", json_object_new_string(words));
}

struct json_object *
session_list(const struct actor *a, long long current, int n,
    long long *total)
{
	struct json_object *list, *o;
	struct dbres *res;
	int rc;

	*total = db_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ?"
	    " AND last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
	    " AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND", "iii",
	    a->user_id, cfg.session_idle, cfg.session_max);
	if (*total == -1)
		return NULL;
	res = db_query("SELECT id, ip,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS started,"
	    " DATE_FORMAT(last_seen_at, '%Y-%m-%d %H:%i:%s') AS last_seen,"
	    " user_agent FROM sessions WHERE user_id = ?"
	    " AND last_seen_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
	    " AND created_at > UTC_TIMESTAMP() - INTERVAL ? SECOND"
	    " ORDER BY id = ? DESC, last_seen_at DESC, id DESC LIMIT ?",
	    "iiiii", a->user_id, cfg.session_idle, cfg.session_max, current,
	    (long long)n);
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		o = json_object_new_object();
		json_object_object_add(o, "id",
		    json_object_new_int64(db_int(res, 0)));
		json_object_object_add(o, "ip",
		    json_object_new_string(db_str(res, 1)));
		json_object_object_add(o, "started",
		    json_object_new_string(db_str(res, 2)));
		json_object_object_add(o, "last_seen",
		    json_object_new_string(db_str(res, 3)));
		add_browser(o, res, 4);
		json_object_object_add(o, "current",
		    json_object_new_boolean(db_int(res, 0) == current));
		json_object_array_add(list, o);
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

enum outcome
session_end_one(const struct actor *a, long long id)
{
	long long n;

	/* The user's id is in the condition: an id of another person's
	 * session matches no row, and nothing tells it from a wrong one. */
	n = db_exec("DELETE FROM sessions WHERE id = ? AND user_id = ?", "ii",
	    id, a->user_id);
	if (n == -1)
		return db_error();
	return n == 0 ? E_NOT_FOUND : OK;
}

enum outcome
session_end_others(const struct actor *a, long long keep, long long *ended)
{
	*ended = db_exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?",
	    "ii", a->user_id, keep);
	return *ended == -1 ? db_error() : OK;
}
