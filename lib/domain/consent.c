/*
 * consent: the purposes, their answers and their history (consent.h).
 */
#include <string.h>

#include "audit.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "i18n.h"
#include "util.h"

static const struct {
	const char	*name;
	const char	*label;
	const char	*description;
} purposes[PURPOSE__MAX] = {
	[PURPOSE_USAGE] = { "usage", N_("Usage analytics"),
	    N_("Count which pages and features you use, kept on this server, "
	    "to learn what to improve.") },
	[PURPOSE_PRODUCT_MAIL] = { "product_mail", N_("Product email"),
	    N_("Occasional mail about new features and changes of this "
	    "helpdesk; mail about your tickets and your account is sent "
	    "either way.") },
};

static int
valid(enum purpose p)
{
	return p > PURPOSE_NONE && p < PURPOSE__MAX;
}

const char *
purpose_name(enum purpose p)
{
	return valid(p) ? purposes[p].name : "";
}

const char *
purpose_label(enum purpose p)
{
	return valid(p) ? purposes[p].label : "";
}

const char *
purpose_description(enum purpose p)
{
	return valid(p) ? purposes[p].description : "";
}

int
purpose_parse(const char *s)
{
	int p;

	for (p = PURPOSE_NONE + 1; s != NULL && p < PURPOSE__MAX; p++)
		if (strcmp(purposes[p].name, s) == 0)
			return p;
	return PURPOSE_NONE;
}

int
consent_given(long long user_id, enum purpose p)
{
	long long v;

	if (!valid(p))
		return 0;
	/* The newest row's answer; no row is -1 without db_failed. */
	v = db_scalar("SELECT granted FROM consents WHERE user_id = ? AND"
	    " purpose = ? ORDER BY id DESC LIMIT 1", "is", user_id,
	    purposes[p].name);
	if (v == -1)
		return db_failed() ? -1 : 0;
	return v == 1;
}

enum outcome
consent_set(const struct actor *a, enum purpose p, int granted)
{
	long long id;

	if (!valid(p) || a->user_id == 0)
		return E_INVALID;
	if (db_exec("INSERT INTO consents (user_id, purpose, granted,"
	    " policy_version, created_at) VALUES (?, ?, ?, ?,"
	    " UTC_TIMESTAMP())", "isis", a->user_id, purposes[p].name,
	    (long long)(granted != 0), cfg.policy_version) == -1)
		return db_error();
	id = db_insert_id();
	return audit(a, 0, 0, granted ? "consent.grant" : "consent.withdraw",
	    "consent", id);
}

struct json_object *
consent_state(long long user_id)
{
	struct json_object *list = json_object_new_array(), *o;
	int p, g;

	for (p = PURPOSE_NONE + 1; p < PURPOSE__MAX; p++) {
		if ((g = consent_given(user_id, p)) == -1) {
			json_object_put(list);
			return NULL;
		}
		o = json_object_new_object();
		json_object_object_add(o, "purpose",
		    json_object_new_string(purposes[p].name));
		json_object_object_add(o, "label",
		    json_object_new_string(_(purposes[p].label)));
		json_object_object_add(o, "description",
		    json_object_new_string(_(purposes[p].description)));
		json_object_object_add(o, "granted",
		    json_object_new_boolean(g));
		json_object_array_add(list, o);
	}
	return list;
}

struct json_object *
consent_history(long long user_id)
{
	struct json_object *rows, *row, *v;
	struct dbres *res;
	size_t i;

	res = db_query("SELECT purpose, granted,"
	    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') AS time,"
	    " policy_version FROM consents WHERE user_id = ?"
	    " ORDER BY id DESC", "i", user_id);
	if (res == NULL)
		return NULL;
	rows = db_rows_json(res);
	db_free(res);
	if (rows == NULL)
		return NULL;
	/* Labels come from the table above, not the database. */
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "purpose", &v))
			json_object_object_add(row, "label",
			    json_object_new_string(purpose_label(
			    purpose_parse(json_object_get_string(v)))));
	}
	return rows;
}
