/*
 * prefs: the preferences a person sets on their account page.
 */
#include <string.h>

#include "audit.h"
#include "db.h"
#include "i18n.h"
#include "prefs.h"
#include "timefmt.h"
#include "util.h"

static const struct {
	const char	*name;
	const char	*label;
	const char	*query;
} views[QV__MAX] = {
	[QV_ALL] = { "all", N_("All tickets"), "" },
	[QV_OPEN] = { "open", N_("Open tickets"), "status=open" },
	[QV_MINE] = { "mine", N_("Assigned to me"), "assignee=me" },
	[QV_UNASSIGNED] = { "unassigned", N_("Unassigned"),
	    "assignee=none" },
};

int
queue_view_parse(const char *s)
{
	int v;

	for (v = QV_ALL; s != NULL && v < QV__MAX; v++)
		if (strcmp(s, views[v].name) == 0)
			return v;
	return 0;
}

const char *
queue_view_name(int v)
{
	return v > QV_NONE && v < QV__MAX ? views[v].name : NULL;
}

const char *
queue_view_label(int v)
{
	return v > QV_NONE && v < QV__MAX ? views[v].label : NULL;
}

const char *
queue_view_query(int v)
{
	return v > QV_NONE && v < QV__MAX ? views[v].query : NULL;
}

int
queue_view_of(const char *query)
{
	int v;

	for (v = QV_ALL; query != NULL && v < QV__MAX; v++)
		if (strcmp(query, views[v].query) == 0)
			return v;
	return QV_ALL;
}

static int
lang_valid(const char *lang)
{
	const char *const *l;

	for (l = i18n_available(); *l != NULL; l++)
		if (strcmp(*l, lang) == 0)
			return 1;
	return 0;
}

/* "" is NULL: the column's "not chosen". */
static const char *
or_null(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

enum outcome
prefs_set(const struct actor *a, const char *lang, const char *tz, int view)
{
	lang = or_null(lang);
	tz = or_null(tz);
	if ((lang != NULL && !lang_valid(lang)) ||
	    (tz != NULL && !tz_valid(tz)) || queue_view_query(view) == NULL)
		return E_INVALID;
	/* UTC is the default: stored as none, like a language of "from the
	 * browser", so the columns hold only what differs. */
	if (tz != NULL && strcmp(tz, "UTC") == 0)
		tz = NULL;
	if (db_exec("UPDATE users SET lang = ?, time_zone = ?, queue_view = ?,"
	    " updated_at = UTC_TIMESTAMP() WHERE id = ? AND deleted_at IS NULL",
	    "sssi", lang, tz, or_null(queue_view_query(view)),
	    a->user_id) == -1)
		return db_error();
	return audit(a, 0, 0, "user.preferences", "user", a->user_id);
}
