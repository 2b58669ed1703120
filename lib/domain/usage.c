#include <string.h>
#include <time.h>

#include "db.h"
#include "usage.h"

enum outcome
usage_count(const struct actor *a, const char *feature)
{
	if (a->ws_id == 0 || feature == NULL ||
	    strlen(feature) > USAGE_FEATURE_MAX)
		return E_INVALID;
	return db_exec("INSERT INTO usage_daily (workspace_id, day, feature, n)"
	    " VALUES (?, UTC_DATE(), ?, 1) ON DUPLICATE KEY UPDATE n = n + 1",
	    "is", a->ws_id, feature) == -1 ? db_error() : OK;
}

/* { n }: a template's list holds objects. */
static struct json_object *
count_obj(long long n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "n", json_object_new_int64(n));
	return o;
}

/* The feature's row in list, added (with days zero counts) if new. */
static struct json_object *
feature_row(struct json_object *list, const char *name, int days)
{
	struct json_object *o, *v, *counts;
	size_t i, n;
	int d;

	for (i = 0, n = json_object_array_length(list); i < n; i++) {
		o = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(o, "feature", &v) &&
		    strcmp(json_object_get_string(v), name) == 0)
			return o;
	}
	o = json_object_new_object();
	json_object_object_add(o, "feature", json_object_new_string(name));
	json_object_object_add(o, "total", json_object_new_int64(0));
	counts = json_object_new_array();
	for (d = 0; d < days; d++)
		json_object_array_add(counts, count_obj(0));
	json_object_object_add(o, "counts", counts);
	json_object_array_add(list, o);
	return o;
}

static int
by_total(const void *x, const void *y)
{
	struct json_object *const *a = x, *const *b = y, *va, *vb;
	long long ta, tb;

	json_object_object_get_ex(*a, "total", &va);
	json_object_object_get_ex(*b, "total", &vb);
	ta = json_object_get_int64(va);
	tb = json_object_get_int64(vb);
	if (ta != tb)
		return ta < tb ? 1 : -1;
	json_object_object_get_ex(*a, "feature", &va);
	json_object_object_get_ex(*b, "feature", &vb);
	return strcmp(json_object_get_string(va), json_object_get_string(vb));
}

struct json_object *
usage_table(const struct actor *a, int days)
{
	struct json_object *out, *list, *dlist, *o, *v;
	struct dbres *res;
	long long total = 0, n, ago;
	char day[16];
	time_t now = time(NULL), t;
	struct tm tm;
	int d, rc;

	/* One primary-key range: the workspace, its last days days. */
	res = db_query("SELECT feature, DATEDIFF(UTC_DATE(), day), n"
	    " FROM usage_daily WHERE workspace_id = ?"
	    " AND day > UTC_DATE() - INTERVAL ? DAY", "ii", a->ws_id,
	    (long long)days);
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		ago = db_int(res, 1);
		n = db_int(res, 2);
		if (ago < 0 || ago >= days)
			continue;
		o = feature_row(list, db_str(res, 0), days);
		json_object_object_get_ex(o, "counts", &v);
		json_object_array_put_idx(v, (size_t)ago, count_obj(n));
		json_object_object_get_ex(o, "total", &v);
		json_object_set_int64(v, json_object_get_int64(v) + n);
		total += n;
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	json_object_array_sort(list, by_total);
	dlist = json_object_new_array();
	for (d = 0; d < days; d++) {
		t = now - (time_t)d * 86400;
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		o = json_object_new_object();
		json_object_object_add(o, "day", json_object_new_string(day));
		/* A narrow column heading: "30 Nov" (the C locale's). */
		strftime(day, sizeof(day), "%d %b", &tm);
		json_object_object_add(o, "label",
		    json_object_new_string(day));
		json_object_array_add(dlist, o);
	}
	out = json_object_new_object();
	json_object_object_add(out, "days", dlist);
	json_object_object_add(out, "features", list);
	json_object_object_add(out, "total", json_object_new_int64(total));
	return out;
}
