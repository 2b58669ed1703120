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

#include "actor.h"
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

/* Letters and digits, ASCII or not (the input is valid UTF-8). */
static int
is_word_byte(unsigned char c)
{
	return isalnum(c) || (c & 0x80);
}

/* The length in bytes of the word at s; its characters in *chars. */
static size_t
word_len(const char *s, size_t *chars)
{
	size_t n = 0;

	*chars = 0;
	for (; is_word_byte((unsigned char)s[n]); n++)
		if (((unsigned char)s[n] & 0xc0) != 0x80)
			(*chars)++;
	return n;
}

/*
 * The words of a search as an InnoDB boolean query: each word must occur,
 * as a prefix ("+refund* +card*"). Operators typed by the user are
 * dropped, so no input is a syntax error. The cost is bounded: a word
 * shorter than SEARCH_MIN_CHARS (not indexed by InnoDB, and as a prefix
 * it would expand to every term it starts) is left out, and so is every
 * word after SEARCH_MAX_WORDS.
 */
char *
search_terms(const char *q, int *dropped)
{
	struct buf b = BUF_INIT;
	size_t len, chars;
	int words = 0;

	*dropped = 0;
	for (;;) {
		while (*q && !is_word_byte((unsigned char)*q))
			q++;
		if (*q == '\0')
			break;
		len = word_len(q, &chars);
		if (chars < SEARCH_MIN_CHARS)
			*dropped |= SEARCH_SHORT;
		else if (words == SEARCH_MAX_WORDS) {
			*dropped |= SEARCH_MANY;
			break;
		} else {
			buf_puts(&b, words++ ? " +" : "+");
			buf_add(&b, q, len);
			buf_putc(&b, '*');
		}
		q += len;
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

int
search_dropped(const char *q)
{
	int dropped = 0;

	if (q != NULL && *q != '\0' && number_query(q) == 0)
		free(search_terms(q, &dropped));
	return dropped;
}

static void
add_search(struct buf *sql, struct dbargs *args, const struct actor *a,
    const char *words)
{
	buf_puts(sql, " JOIN (SELECT id AS tid FROM tickets WHERE"
	    " workspace_id = ? AND MATCH (subject, body) AGAINST (? IN"
	    " BOOLEAN MODE) UNION SELECT c.ticket_id FROM comments c WHERE"
	    " c.workspace_id = ? AND" AUTHZ_COMMENT_VISIBLE("c") "AND"
	    " MATCH (c.body) AGAINST (? IN BOOLEAN MODE)) m ON m.tid = t.id");
	dbargs_int(args, a->ws_id);
	dbargs_str(args, words);
	dbargs_int(args, a->ws_id);
	dbargs_int(args, AUTHZ_NOTE_ARG(a));
	dbargs_str(args, words);
}

static void
add_filters(struct buf *sql, struct dbargs *args,
    const struct queue_filter *f)
{
	if (f->status) {
		buf_puts(sql, " AND t.status = ?");
		dbargs_int(args, f->status);
	}
	if (f->priority) {
		buf_puts(sql, " AND t.priority = ?");
		dbargs_int(args, f->priority);
	}
	if (f->assignee == -1)
		buf_puts(sql, " AND t.assignee_id IS NULL");
	else if (f->assignee > 0) {
		buf_puts(sql, " AND t.assignee_id = ?");
		dbargs_int(args, f->assignee);
	}
	if (f->requester > 0) {
		buf_puts(sql, " AND t.requester_id = ?");
		dbargs_int(args, f->requester);
	}
}

/*
 * Which filters and sorts apply: only those on what the caller sees
 * (authz.h). For a requester, priority, assignee, requester and tag are
 * ignored, and the priority sort is the default one, so those give the
 * very page they would get without them.
 */
void
queue_filter_scope(const struct actor *a, struct queue_filter *f)
{
	if (actor_can(a, P_TICKET_VIEW_ALL))
		return;
	f->priority = 0;
	f->assignee = 0;
	f->requester = 0;
	f->tag = NULL;
	if (sort_of(f->sort) == SORT_PRIORITY)
		f->sort = NULL;
}

/* Appends the constant SQL s with every "@" in it replaced by col, a
 * column name from authz_ticket_updated (our SQL has no other "@"). */
static void
put_col(struct buf *sql, const char *s, const char *col)
{
	for (; *s; s++) {
		if (*s == '@')
			buf_puts(sql, col);
		else
			buf_putc(sql, *s);
	}
}

/* Returns -1 for a cursor that does not fit the sort. upd is the
 * "updated" column the caller sees (authz_ticket_updated). */
static int
add_keyset(struct buf *sql, struct dbargs *args, enum sort s,
    const char *after, const char *upd)
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
		dbargs_int(args, v[0]);
		return 0;
	case SORT_UPDATED:
		if (n != 2)
			return -1;
		/* The leading "<=" is what lets MariaDB start an index range
		 * at the cursor rather than filter every row before it. */
		put_col(sql, " AND @ <= FROM_UNIXTIME(?) AND"
		    " (@ < FROM_UNIXTIME(?) OR t.id < ?)", upd);
		dbargs_int(args, v[0]);
		dbargs_int(args, v[0]);
		dbargs_int(args, v[1]);
		return 0;
	case SORT_PRIORITY:
		if (n != 3)
			return -1;
		/* Two ranges of the priority index: the rest of this
		 * priority from the cursor on, and every lower priority. */
		put_col(sql, " AND (t.priority < ? OR (t.priority = ? AND"
		    " @ <= FROM_UNIXTIME(?) AND (@ < FROM_UNIXTIME(?) OR"
		    " t.id < ?)))", upd);
		dbargs_int(args, v[0]);
		dbargs_int(args, v[0]);
		dbargs_int(args, v[1]);
		dbargs_int(args, v[1]);
		dbargs_int(args, v[2]);
		return 0;
	}
	return -1;
}

/* "@" stands for the "updated" column the caller sees. */
static const char *const order_by[] = {
	[SORT_UPDATED] = " ORDER BY @ DESC, t.id DESC",
	[SORT_CREATED] = " ORDER BY t.id DESC",
	[SORT_PRIORITY] = " ORDER BY t.priority DESC, @ DESC, t.id DESC",
};

static char *
cursor_of(struct dbres *res, enum sort s)
{
	char c[80];

	/* Columns 7, 8, 9: UNIX_TIMESTAMP(the caller's "updated"), id,
	 * priority. */
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

/* A row of the page; priority and assignee only for those who see them
 * (authz.h). */
static struct json_object *
row_json(struct dbres *res, int details)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "number",
	    json_object_new_int64(db_int(res, 0)));
	json_object_object_add(o, "subject",
	    json_object_new_string(db_str(res, 1)));
	json_object_object_add(o, "status",
	    json_object_new_string(status_name((int)db_int(res, 2))));
	json_object_object_add(o, "updated",
	    json_object_new_string(db_str(res, 4)));
	json_object_object_add(o, "requester",
	    json_object_new_string(db_str(res, 5)));
	if (!details)
		return o;
	json_object_object_add(o, "priority",
	    json_object_new_string(priority_name((int)db_int(res, 3))));
	if (db_str(res, 6))
		json_object_object_add(o, "assignee",
		    json_object_new_string(db_str(res, 6)));
	return o;
}

struct json_object *
ticket_queue(const struct actor *a, const struct queue_filter *given,
    char **next)
{
	struct buf sql = BUF_INIT;
	struct dbargs *args = dbargs_new();
	struct dbres *res = NULL;
	struct json_object *rows = NULL;
	struct queue_filter scoped = *given, *f = &scoped;
	const char *upd = authz_ticket_updated(a);
	enum sort s;
	char *words = NULL;
	long long num = 0;
	int n = 0, dropped, rc;

	*next = NULL;
	queue_filter_scope(a, f);
	s = sort_of(f->sort);
	/*
	 * The page's ids come from tickets alone, by index; only those 26
	 * rows are then joined to their people. With the joins inside,
	 * MariaDB walked every row before the cursor.
	 */
	put_col(&sql, "SELECT t.number, t.subject, t.status, t.priority,"
	    " DATE_FORMAT(@, '%Y-%m-%d %H:%i:%s'), rq.name, asg.name,"
	    " UNIX_TIMESTAMP(@), t.id, t.priority FROM"
	    " (SELECT t.id FROM tickets t", upd);
	if (f->tag && *f->tag) {
		buf_puts(&sql, " JOIN ticket_tags tg ON tg.ticket_id = t.id"
		    " AND tg.tag = ?");
		dbargs_str(args, f->tag);
	}
	if (f->q && *f->q && (num = number_query(f->q)) == 0) {
		words = search_terms(f->q, &dropped);
		if (*words == '\0') {
			rows = json_object_new_array();	/* nothing to find */
			goto out;
		}
		add_search(&sql, args, a, words);
	}
	/* Agents see every ticket; anyone else only their own (authz.h). */
	if (!actor_can(a, P_TICKET_VIEW_ALL)) {
		buf_puts(&sql, AUTHZ_TICKET_MINE_JOIN("t"));
		dbargs_int(args, a->ws_id);
		dbargs_int(args, a->user_id);
		dbargs_int(args, a->user_id);
	}
	buf_puts(&sql, " WHERE t.workspace_id = ?");
	dbargs_int(args, a->ws_id);
	if (num) {
		buf_puts(&sql, " AND t.number = ?");
		dbargs_int(args, num);
	}
	add_filters(&sql, args, f);
	if (add_keyset(&sql, args, s, f->after, upd) == -1) {
		rows = json_object_new_array();	/* a stale or forged cursor */
		goto out;
	}
	put_col(&sql, order_by[s], upd);
	buf_puts(&sql, " LIMIT ?) p JOIN tickets t ON t.id = p.id"
	    " JOIN users rq ON rq.id = t.requester_id"
	    " LEFT JOIN users asg ON asg.id = t.assignee_id");
	dbargs_int(args, TICKETS_PAGE + 1);
	put_col(&sql, order_by[s], upd);
	if ((res = db_query_args(buf_str(&sql), args)) == NULL)
		goto out;
	rows = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		if (++n > TICKETS_PAGE)
			break;
		json_object_array_add(rows, row_json(res,
		    actor_can(a, P_TICKET_VIEW_ALL)));
		free(*next);
		*next = cursor_of(res, s);
	}
	if (rc == -1) {
		json_object_put(rows);
		rows = NULL;
	}
	if (n <= TICKETS_PAGE || rows == NULL) {
		free(*next);
		*next = NULL;
	}
out:
	db_free(res);
	dbargs_free(args);
	buf_free(&sql);
	free(words);
	return rows;
}
