/*
 * queue: one page of tickets under filters, a sort and a search, by keyset
 * pagination: the page after a cursor is an index range scan, as fast at
 * row 100,000 as at row 1. The SQL is assembled from the constant
 * fragments below; every value is a placeholder.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "buf.h"
#include "db.h"
#include "tickets.h"
#include "util.h"

enum sort { SORT_UPDATED, SORT_CREATED, SORT_PRIORITY };

static enum sort
sort_of(const char *s)
{
	if (str_eq(s, "created"))
		return SORT_CREATED;
	if (str_eq(s, "priority"))
		return SORT_PRIORITY;
	return SORT_UPDATED;
}

/* A cursor is up to three numbers joined by '.'; returns how many. */
static int
cursor_parse(const char *s, long long v[3])
{
	int n = 0;

	while (s && *s && n < 3) {
		char num[24];
		size_t len = strcspn(s, ".");

		if (len == 0 || len >= sizeof(num))
			return 0;
		memcpy(num, s, len);
		num[len] = '\0';
		if (parse_int(num, 0, (long long)1 << 62, &v[n++]) == -1)
			return 0;
		s += len + (s[len] == '.');
	}
	return s && *s ? 0 : n;
}

/*
 * The words of a search as an InnoDB boolean query: each word must occur,
 * as a prefix ("+refund* +card*"). Operators typed by the user are
 * dropped, so no input is a syntax error.
 */
static char *
fulltext_query(const char *q)
{
	struct buf b = BUF_INIT;

	while (*q) {
		while (*q && !isalnum((unsigned char)*q) &&
		    !((unsigned char)*q & 0x80))
			q++;
		if (*q == '\0')
			break;
		buf_puts(&b, b.len ? " +" : "+");
		while (*q && (isalnum((unsigned char)*q) ||
		    ((unsigned char)*q & 0x80)))
			buf_putc(&b, *q++);
		buf_putc(&b, '*');
	}
	return buf_detach(&b);
}

/* "#42" or "42": a search for a ticket number. */
static long long
number_query(const char *q)
{
	long long n;

	if (*q == '#')
		q++;
	return parse_int(q, 1, (long long)1 << 62, &n) == 0 ? n : 0;
}

static void
add_search(struct buf *sql, struct dbargs *a, struct req *r,
    const char *words)
{
	buf_puts(sql, " JOIN (SELECT id AS tid FROM tickets WHERE"
	    " workspace_id = ? AND MATCH (subject, body) AGAINST (? IN"
	    " BOOLEAN MODE) UNION SELECT c.ticket_id FROM comments c WHERE"
	    " c.workspace_id = ? AND" AUTHZ_COMMENT_VISIBLE("c") "AND"
	    " MATCH (c.body) AGAINST (? IN BOOLEAN MODE)) m ON m.tid = t.id");
	dbargs_int(a, r->ws->id);
	dbargs_str(a, words);
	dbargs_int(a, r->ws->id);
	dbargs_int(a, AUTHZ_NOTE_ARG(r));
	dbargs_str(a, words);
}

static void
add_filters(struct buf *sql, struct dbargs *a, const struct queue_filter *f)
{
	if (f->status) {
		buf_puts(sql, " AND t.status = ?");
		dbargs_int(a, f->status);
	}
	if (f->priority) {
		buf_puts(sql, " AND t.priority = ?");
		dbargs_int(a, f->priority);
	}
	if (f->assignee == -1)
		buf_puts(sql, " AND t.assignee_id IS NULL");
	else if (f->assignee > 0) {
		buf_puts(sql, " AND t.assignee_id = ?");
		dbargs_int(a, f->assignee);
	}
	if (f->requester > 0) {
		buf_puts(sql, " AND t.requester_id = ?");
		dbargs_int(a, f->requester);
	}
}

/* Returns -1 for a cursor that does not fit the sort. */
static int
add_keyset(struct buf *sql, struct dbargs *a, enum sort s, const char *after)
{
	long long v[3];
	int n;

	if (after == NULL || *after == '\0')
		return 0;
	n = cursor_parse(after, v);
	switch (s) {
	case SORT_CREATED:
		if (n != 1)
			return -1;
		buf_puts(sql, " AND t.id < ?");
		dbargs_int(a, v[0]);
		return 0;
	case SORT_UPDATED:
		if (n != 2)
			return -1;
		/* The leading "<=" is what lets MariaDB start an index range
		 * at the cursor rather than filter every row before it. */
		buf_puts(sql, " AND t.updated_at <= FROM_UNIXTIME(?) AND"
		    " (t.updated_at < FROM_UNIXTIME(?) OR t.id < ?)");
		dbargs_int(a, v[0]);
		dbargs_int(a, v[0]);
		dbargs_int(a, v[1]);
		return 0;
	case SORT_PRIORITY:
		if (n != 3)
			return -1;
		/* Two ranges of the priority index: the rest of this
		 * priority from the cursor on, and every lower priority. */
		buf_puts(sql, " AND (t.priority < ? OR (t.priority = ? AND"
		    " t.updated_at <= FROM_UNIXTIME(?) AND (t.updated_at <"
		    " FROM_UNIXTIME(?) OR t.id < ?)))");
		dbargs_int(a, v[0]);
		dbargs_int(a, v[0]);
		dbargs_int(a, v[1]);
		dbargs_int(a, v[1]);
		dbargs_int(a, v[2]);
		return 0;
	}
	return -1;
}

static const char *const order_by[] = {
	[SORT_UPDATED] = " ORDER BY t.updated_at DESC, t.id DESC",
	[SORT_CREATED] = " ORDER BY t.id DESC",
	[SORT_PRIORITY] = (" ORDER BY t.priority DESC, t.updated_at DESC,"
	    " t.id DESC"),
};

static char *
cursor_of(struct dbres *res, enum sort s)
{
	char c[80];

	/* Columns 7, 8, 9: UNIX_TIMESTAMP(updated_at), id, priority. */
	if (s == SORT_CREATED)
		snprintf(c, sizeof(c), "%lld", db_int(res, 8));
	else if (s == SORT_UPDATED)
		snprintf(c, sizeof(c), "%lld.%lld", db_int(res, 7),
		    db_int(res, 8));
	else
		snprintf(c, sizeof(c), "%lld.%lld.%lld", db_int(res, 9),
		    db_int(res, 7), db_int(res, 8));
	return xstrdup(c);
}

static struct json_object *
row_json(struct dbres *res)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "number",
	    json_object_new_int64(db_int(res, 0)));
	json_object_object_add(o, "subject",
	    json_object_new_string(db_str(res, 1)));
	json_object_object_add(o, "status",
	    json_object_new_string(status_name((int)db_int(res, 2))));
	json_object_object_add(o, "priority",
	    json_object_new_string(priority_name((int)db_int(res, 3))));
	json_object_object_add(o, "updated",
	    json_object_new_string(db_str(res, 4)));
	json_object_object_add(o, "requester",
	    json_object_new_string(db_str(res, 5)));
	if (db_str(res, 6))
		json_object_object_add(o, "assignee",
		    json_object_new_string(db_str(res, 6)));
	return o;
}

struct json_object *
ticket_queue(struct req *r, const struct queue_filter *f, char **next)
{
	struct buf sql = BUF_INIT;
	struct dbargs *a = dbargs_new();
	struct dbres *res = NULL;
	struct json_object *rows = NULL;
	enum sort s = sort_of(f->sort);
	char *words = NULL;
	long long num = 0;
	int n = 0;

	*next = NULL;
	/*
	 * The page's ids come from tickets alone, by index; only those 26
	 * rows are then joined to their people. With the joins inside,
	 * MariaDB walked every row before the cursor.
	 */
	buf_puts(&sql, "SELECT t.number, t.subject, t.status, t.priority,"
	    " DATE_FORMAT(t.updated_at, '%Y-%m-%d %H:%i'), rq.name, asg.name,"
	    " UNIX_TIMESTAMP(t.updated_at), t.id, t.priority FROM"
	    " (SELECT t.id FROM tickets t");
	if (f->tag && *f->tag) {
		buf_puts(&sql, " JOIN ticket_tags tg ON tg.ticket_id = t.id"
		    " AND tg.tag = ?");
		dbargs_str(a, f->tag);
	}
	if (f->q && *f->q && (num = number_query(f->q)) == 0) {
		words = fulltext_query(f->q);
		if (*words == '\0') {
			rows = json_object_new_array();	/* nothing to find */
			goto out;
		}
		add_search(&sql, a, r, words);
	}
	/* Agents see every ticket; anyone else only their own (authz.h). */
	if (!can(r, P_TICKET_VIEW_ALL)) {
		buf_puts(&sql, AUTHZ_TICKET_MINE_JOIN("t"));
		dbargs_int(a, r->ws->id);
		dbargs_int(a, r->user->id);
		dbargs_int(a, r->user->id);
	}
	buf_puts(&sql, " WHERE t.workspace_id = ?");
	dbargs_int(a, r->ws->id);
	if (num) {
		buf_puts(&sql, " AND t.number = ?");
		dbargs_int(a, num);
	}
	add_filters(&sql, a, f);
	if (add_keyset(&sql, a, s, f->after) == -1) {
		rows = json_object_new_array();	/* a stale or forged cursor */
		goto out;
	}
	buf_puts(&sql, order_by[s]);
	buf_puts(&sql, " LIMIT ?) p JOIN tickets t ON t.id = p.id"
	    " JOIN users rq ON rq.id = t.requester_id"
	    " LEFT JOIN users asg ON asg.id = t.assignee_id");
	dbargs_int(a, TICKETS_PAGE + 1);
	buf_puts(&sql, order_by[s]);
	if ((res = db_query_args(buf_str(&sql), a)) == NULL)
		goto out;
	rows = json_object_new_array();
	while (db_next(res)) {
		if (++n > TICKETS_PAGE)
			break;
		json_object_array_add(rows, row_json(res));
		free(*next);
		*next = cursor_of(res, s);
	}
	if (n <= TICKETS_PAGE) {
		free(*next);
		*next = NULL;
	}
out:
	db_free(res);
	dbargs_free(a);
	buf_free(&sql);
	free(words);
	return rows;
}
