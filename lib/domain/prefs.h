/*
 * prefs: a person's preferences (issue 13, the account page's
 * Preferences): the language pages and mail are shown in, the time zone
 * times are shown in (timefmt.h), and the queue view an agent lands on.
 * Stored in users.lang, users.time_zone, users.queue_view (sql/024);
 * the web core reads them with the session.
 */
#ifndef HD_PREFS_H
#define HD_PREFS_H

#include "actor.h"
#include "outcome.h"

/* The default queue views, a fixed list: "open" (the queue's default),
 * "mine", "unassigned", "all". */
enum queue_view {
	QV_NONE,
	QV_ALL,		/* the queue as it opens: stored as NULL */
	QV_OPEN,
	QV_MINE,
	QV_UNASSIGNED,
	QV__MAX
};

/* "mine" -> QV_MINE; 0 for anything else (an F_ENUM parse). */
int		 queue_view_parse(const char *);
/* QV_MINE -> "mine"; NULL out of range. */
const char	*queue_view_name(int);
/* What the view is: its label ("Assigned to me"), and the queue's query
 * string that shows it ("assignee=me"), as users.queue_view stores it. */
const char	*queue_view_label(int);
const char	*queue_view_query(int);
/* The view a stored query string is: QV_ALL for NULL or "" (the
 * queue's default) or one not in the list. */
int		 queue_view_of(const char *query);

/*
 * Sets a's own preferences and audits it ("user.preferences"), in a
 * transaction: lang a code of i18n_available() or NULL/"" (from the
 * browser), tz a zone of tz_valid() or NULL/"" (UTC), view a queue_view.
 * OK, E_INVALID (a value not in its list), E_DB, E_DB_UNKNOWN.
 */
enum outcome	 prefs_set(const struct actor *a, const char *lang,
		    const char *tz, int view);

#endif
