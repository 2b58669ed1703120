#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "kv.h"
#include "log.h"
#include "mailtext.h"
#include "markdown.h"
#include "notify.h"
#include "searchidx.h"
#include "tickets.h"
#include "util.h"
#include "workspaces.h"

#define TIME_FMT	"'%Y-%m-%d %H:%i:%s'"	/* UTC: {{time x}} shows it */
#define MAX_TAGS	10
#define MAX_TAG_LEN	40

static const char *const status_names[ST__MAX] = {
	NULL, "new", "open", "pending", "solved", "closed",
};
static const char *const priority_names[PR__MAX] = {
	NULL, "low", "normal", "high", "urgent",
};

/* Names of a 1-based enum, and back; 0 for an unknown name. */
static const char *
name_of(const char *const *names, int max, int v)
{
	return v > 0 && v < max ? names[v] : "";
}

static int
parse_name(const char *const *names, int max, const char *s)
{
	int i;

	for (i = 1; i < max; i++)
		if (str_eq(s, names[i]))
			return i;
	return 0;
}

const char *
status_name(int s)
{
	return name_of(status_names, ST__MAX, s);
}

int
status_parse(const char *s)
{
	return parse_name(status_names, ST__MAX, s);
}

const char *
priority_name(int p)
{
	return name_of(priority_names, PR__MAX, p);
}

int
priority_parse(const char *s)
{
	return parse_name(priority_names, PR__MAX, s);
}

/* Reads one tag at *in into tag; 0 at the end, -1 when invalid. */
static int
next_tag(const char **in, char tag[MAX_TAG_LEN + 1])
{
	const char *p = *in;
	size_t n = 0;

	while (*p == ',' || isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return 0;
	while (*p && *p != ',' && !isspace((unsigned char)*p)) {
		char c = (char)tolower((unsigned char)*p++);

		if (n == MAX_TAG_LEN ||
		    !(isalnum((unsigned char)c) || c == '-' || c == '_'))
			return -1;
		tag[n++] = c;
	}
	tag[n] = '\0';
	*in = p;
	return 1;
}

char *
tags_normalize(const char *in)
{
	char tags[MAX_TAGS][MAX_TAG_LEN + 1], tag[MAX_TAG_LEN + 1];
	struct buf out = BUF_INIT;
	int n = 0, i, rc;

	while ((rc = next_tag(&in, tag)) == 1) {
		for (i = 0; i < n; i++)
			if (strcmp(tags[i], tag) == 0)
				break;
		if (i < n)
			continue;	/* given twice */
		if (n == MAX_TAGS)
			return NULL;
		memcpy(tags[n++], tag, sizeof(tag));
	}
	if (rc == -1)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&out, ',');
		buf_puts(&out, tags[i]);
	}
	return buf_detach(&out);
}

/* Keeps the per-status counters true in the same transaction. */
static int
count_add(long long ws, int status, int delta)
{
	return db_exec("INSERT INTO ticket_counts (workspace_id, status, n)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
	    "iii", ws, (long long)status, (long long)delta) == -1 ? -1 : 0;
}

/* Markdown to store: rendered once in the actor's unit of work. */
static enum md_status
stored_html(const struct actor *a, const char *src, const char **html)
{
	if (a->rendered == NULL) {
		log_err("markdown: an actor without a rendering cache");
		return MD_HTML_LARGE;
	}
	return markdown_cached(a->rendered, src, html);
}

/*
 * The HTML to store with a body: Markdown rendered once in the actor's
 * unit of work; a mail's text shown as written, its quoted part folded
 * (mailtext.h), into *own (caller frees); a mail's sanitised HTML as it
 * came. 0, or -1 when Markdown is past its limits.
 */
static int
body_html_of(const struct actor *a, const struct body *b, const char **html,
    char **own)
{
	*own = NULL;
	switch (b->format) {
	case BODY_MAIL_TEXT:
		*html = *own = mailtext_html(b->text, b->reply_len);
		return 0;
	case BODY_MAIL_HTML:
		if (b->html == NULL)
			return -1;
		*html = b->html;
		return 0;
	case BODY_MARKDOWN:
		break;
	}
	return stored_html(a, b->text, html) == MD_OK ? 0 : -1;
}

static int
event_add(const struct actor *a, long long ticket_id, const char *field,
    const char *from, const char *to)
{
	return db_exec("INSERT INTO ticket_events (ticket_id, workspace_id,"
	    " actor_id, field, old_value, new_value, created_at) VALUES"
	    " (?, ?, NULLIF(?, 0), ?, LEFT(?, 500), LEFT(?, 500),"
	    " UTC_TIMESTAMP())",
	    "iiisss", ticket_id, a->ws_id, a->user_id, field, from, to) ==
	    -1 ? -1 : 0;
}

enum outcome
ticket_create(const struct actor *a, const char *subject, const char *body,
    long long requester_id, long long *number, long long *id)
{
	struct body b = { BODY_MARKDOWN, body, 0, NULL };

	return ticket_create_body(a, subject, &b, requester_id, number, id);
}

enum outcome
ticket_create_body(const struct actor *a, const char *subject,
    const struct body *b, long long requester_id, long long *number,
    long long *id)
{
	long long num, rc;
	const char *html;
	char *own;

	/* The handler's form check refused text past the limits: this is
	 * the model's own guard, for every other caller. */
	if (body_html_of(a, b, &html, &own) == -1) {
		log_err("ticket: a description past the Markdown limits");
		return E_INVALID;
	}
	/* The row lock on the workspace hands out numbers one at a time. */
	num = db_scalar("SELECT next_number FROM workspaces WHERE id = ?"
	    " FOR UPDATE", "i", a->ws_id);
	if (num < 1) {
		free(own);
		return db_failed() ? db_error() : E_NOT_FOUND;
	}
	if (db_exec("UPDATE workspaces SET next_number = next_number + 1"
	    " WHERE id = ?", "i", a->ws_id) != 1) {
		free(own);
		return db_error();
	}
	rc = db_exec("INSERT INTO tickets (workspace_id, number, subject, body,"
	    " body_html, body_format, status, priority, requester_id,"
	    " created_at, updated_at, public_updated_at) VALUES (?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP(),"
	    " UTC_TIMESTAMP())", "iisssiiii",
	    a->ws_id, num, subject, b->text, html, (long long)b->format,
	    (long long)ST_NEW, (long long)PR_NORMAL, requester_id);
	free(own);
	if (rc != 1)
		return db_error();
	*id = db_insert_id();
	if (count_add(a->ws_id, ST_NEW, 1) == -1)
		return db_error();
	/* Its words are searchable once it commits, and not before. */
	if ((rc = searchidx_put_ticket(a->ws_id, *id, subject, b->text)) !=
	    OK)
		return (enum outcome)rc;
	*number = num;
	/* Its mail commits with it, or neither does. */
	return notify_ticket_new(a, *id);
}

static struct json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *
person(long long id, const char *name, const char *email)
{
	struct json_object *p;

	if (id == 0)
		return NULL;
	p = json_object_new_object();
	json_object_object_add(p, "id", json_object_new_int64(id));
	json_object_object_add(p, "name", jstr(name));
	if (email)
		json_object_object_add(p, "email", jstr(email));
	return p;
}

/* The HTML kept when the text was written, or rendered now for rows
 * whose HTML was cleared (see sql/005-rendered-markdown.sql, and erasure
 * and retention, which replace the text): Markdown written before the
 * limits and past them is shown escaped; a mail's text (or the text of a
 * mail whose HTML is gone) is shown as written, never as Markdown. */
static struct json_object *
rendered(const char *html, const char *text, long long format)
{
	struct json_object *o;
	char *now;

	if (html != NULL)
		return json_object_new_string(html);
	if (text == NULL)
		text = "";
	if (format != BODY_MARKDOWN)
		now = mailtext_html(text, mailtext_reply_len(text));
	else
		now = markdown_html(text);
	o = json_object_new_string(now);
	free(now);
	return o;
}

/* "printer,hardware" (as tags are stored: tags_normalize) as
 * [{"name": "printer"}, {"name": "hardware"}], for a page to show each
 * tag on its own; NULL for none. */
static struct json_object *
tag_list(const char *tags)
{
	struct json_object *list;
	const char *p, *comma;

	if (tags == NULL || *tags == '\0')
		return NULL;
	list = json_object_new_array();
	for (p = tags; *p != '\0'; p = *comma ? comma + 1 : comma) {
		struct json_object *o = json_object_new_object();

		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		json_object_object_add(o, "name",
		    json_object_new_string_len(p, (int)(comma - p)));
		json_object_array_add(list, o);
	}
	return list;
}

/* What only agents see of a ticket (authz.h): priority, assignee, tags,
 * who is copied, and the version that every change moves. */
static void
ticket_details(struct json_object *t, struct dbres *res)
{
	json_object_object_add(t, "priority",
	    jstr(priority_name((int)db_int(res, 5))));
	json_object_object_add(t, "version",
	    json_object_new_int64(db_int(res, 6)));
	json_object_object_add(t, "tags", jstr(db_str(res, 7)));
	json_object_object_add(t, "tag_list", tag_list(db_str(res, 7)));
	json_object_object_add(t, "assignee", person(db_int(res, 13),
	    db_str(res, 14), NULL));
	json_object_object_add(t, "cc", jstr(db_str(res, 15)));
}

static struct json_object *
ticket_json(const struct actor *a, struct dbres *res)
{
	struct json_object *t = json_object_new_object();

	json_object_object_add(t, "id", json_object_new_int64(db_int(res, 0)));
	json_object_object_add(t, "number",
	    json_object_new_int64(db_int(res, 1)));
	json_object_object_add(t, "subject", jstr(db_str(res, 2)));
	json_object_object_add(t, "body", jstr(db_str(res, 3)));
	json_object_object_add(t, "body_html", rendered(db_str(res, 16),
	    db_str(res, 3), db_int(res, 17)));
	json_object_object_add(t, "via_mail",
	    json_object_new_boolean(db_int(res, 17) != BODY_MARKDOWN));
	json_object_object_add(t, "status",
	    jstr(status_name((int)db_int(res, 4))));
	json_object_object_add(t, "created", jstr(db_str(res, 8)));
	json_object_object_add(t, "updated", jstr(db_str(res, 9)));
	json_object_object_add(t, "requester", person(db_int(res, 10),
	    db_str(res, 11), db_str(res, 12)));
	json_object_object_add(t, "has_attachments",
	    json_object_new_boolean(db_int(res, 18) != 0));
	if (actor_can(a, P_TICKET_VIEW_ALL))
		ticket_details(t, res);
	return t;
}

enum outcome
ticket_load(const struct actor *a, long long num, struct json_object **out)
{
	struct buf sql = BUF_INIT;
	struct dbres *res;
	int rc;

	*out = NULL;
	/* "Updated" is the last change the caller may see (authz.h). */
	buf_puts(&sql, "SELECT t.id, t.number, t.subject, t.body, t.status,"
	    " t.priority, t.version, t.tags,"
	    " DATE_FORMAT(t.created_at, " TIME_FMT "), DATE_FORMAT(");
	buf_puts(&sql, authz_ticket_updated(a));
	buf_puts(&sql, ", " TIME_FMT "), rq.id, rq.name, rq.email, a.id,"
	    " a.name, (SELECT COALESCE(GROUP_CONCAT(u.email ORDER BY u.email"
	    " SEPARATOR ','), '') FROM ticket_cc c JOIN users u ON"
	    " u.id = c.user_id WHERE c.ticket_id = t.id), t.body_html,"
	    " t.body_format, t.has_attachments"
	    " FROM tickets t JOIN users rq ON rq.id = t.requester_id"
	    " LEFT JOIN users a ON a.id = t.assignee_id"
	    " WHERE t.workspace_id = ? AND t.number = ? AND"
	    AUTHZ_TICKET_VISIBLE("t"));
	res = db_query(buf_str(&sql), "iiiii", a->ws_id, num,
	    AUTHZ_TICKET_ARGS(a));
	buf_free(&sql);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		*out = ticket_json(a, res);
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/* A list read to the end (rc 0), or NULL when the read failed (-1): never
 * a short list as if it were whole. */
static struct json_object *
rows_or_null(struct json_object *list, int rc)
{
	if (rc == 0)
		return list;
	json_object_put(list);
	return NULL;
}

static struct json_object *
thread_comment(struct dbres *res)
{
	struct json_object *c = json_object_new_object();

	json_object_object_add(c, "kind", jstr("comment"));
	json_object_object_add(c, "id", json_object_new_int64(db_int(res, 1)));
	json_object_object_add(c, "internal",
	    json_object_new_boolean(db_int(res, 2) != 0));
	json_object_object_add(c, "body_html", rendered(db_str(res, 7),
	    db_str(res, 3), db_int(res, 8)));
	json_object_object_add(c, "via_mail", json_object_new_boolean(
	    db_int(res, 8) != BODY_MARKDOWN));
	json_object_object_add(c, "when", jstr(db_str(res, 4)));
	json_object_object_add(c, "at", jstr(db_str(res, 5)));
	json_object_object_add(c, "author", jstr(db_str(res, 6) ?
	    db_str(res, 6) : _("Deleted user")));
	return c;
}

static struct json_object *
thread_event(struct dbres *res)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "kind", jstr("event"));
	json_object_object_add(e, "field", jstr(db_str(res, 9)));
	json_object_object_add(e, "from", jstr(db_str(res, 10)));
	json_object_object_add(e, "to", jstr(db_str(res, 11)));
	json_object_object_add(e, "when", jstr(db_str(res, 4)));
	json_object_object_add(e, "at", jstr(db_str(res, 5)));
	json_object_object_add(e, "actor", jstr(db_str(res, 6) ?
	    db_str(res, 6) : _("Deleted user")));
	return e;
}

/* A thread entry with what orders it: its time, its kind (a comment
 * before an event at the same second), its id. */
struct entry {
	char			 at[24];
	int			 kind;
	long long		 seq;
	struct json_object	*o;
};

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = strcmp(a->at, b->at);

	if (c != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * Comments (and, for those who may read them, notes) and history events
 * in one statement, put in time order here: with an ORDER BY, MariaDB
 * sorts a UNION through a temporary table, on disk for the text columns,
 * which cost the server more than a second statement. Requesters see
 * status changes of the history only; agents see everything.
 */
struct json_object *
ticket_thread(const struct actor *a, long long ticket_id)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0, i;
	struct json_object *list;
	struct dbres *res;
	int rc;

	res = db_query("SELECT 0, c.id, c.internal, c.body,"
	    " DATE_FORMAT(c.created_at, " TIME_FMT "), c.created_at,"
	    " u.name, c.body_html, c.body_format, NULL, NULL, NULL"
	    " FROM comments c LEFT JOIN users u ON u.id = c.author_id"
	    " WHERE c.ticket_id = ? AND c.workspace_id = ? AND"
	    AUTHZ_COMMENT_VISIBLE("c")
	    " UNION ALL SELECT 1, e.id, NULL, NULL,"
	    " DATE_FORMAT(e.created_at, " TIME_FMT "), e.created_at, u.name,"
	    " NULL, NULL, e.field, e.old_value, e.new_value"
	    " FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id"
	    " WHERE e.ticket_id = ? AND e.workspace_id = ? AND"
	    " (e.field = 'status' OR ? = 1)", "iiiiii",
	    ticket_id, a->ws_id, AUTHZ_NOTE_ARG(a), ticket_id, a->ws_id,
	    (long long)actor_can(a, P_TICKET_VIEW_ALL));
	if (res == NULL)
		return NULL;
	while ((rc = db_next(res)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].kind = (int)db_int(res, 0);
		v[n].seq = db_int(res, 1);
		snprintf(v[n].at, sizeof(v[n].at), "%s",
		    db_str(res, 5) ? db_str(res, 5) : "");
		v[n].o = v[n].kind == 0 ? thread_comment(res) :
		    thread_event(res);
		n++;
	}
	db_free(res);
	if (n > 0)
		qsort(v, n, sizeof(*v), entry_cmp);
	list = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(list, v[i].o);
	free(v);
	return rows_or_null(list, rc);
}

static int
set_status(const struct actor *a, long long ticket_id, int from, int to)
{
	if (from == to)
		return 0;
	/* A requester sees status changes: they move public_updated_at. */
	if (db_exec("UPDATE tickets SET status = ?, version = version + 1,"
	    " public_updated_at = UTC_TIMESTAMP() WHERE id = ?", "ii",
	    (long long)to, ticket_id) == -1 ||
	    count_add(a->ws_id, from, -1) == -1 ||
	    count_add(a->ws_id, to, 1) == -1)
		return -1;
	return event_add(a, ticket_id, "status", status_name(from),
	    status_name(to));
}

enum outcome
comment_add(const struct actor *a, long long ticket_id, const char *body,
    int internal, long long *id)
{
	struct body b = { BODY_MARKDOWN, body, 0, NULL };

	return comment_add_body(a, ticket_id, &b, internal, id);
}

enum outcome
comment_add_body(const struct actor *a, long long ticket_id,
    const struct body *b, int internal, long long *id)
{
	long long status, rc;
	int agent = actor_can(a, P_TICKET_VIEW_ALL), to;
	const char *html;
	char *own;

	if (internal && !actor_can(a, P_NOTE))
		return E_FORBIDDEN;
	if (body_html_of(a, b, &html, &own) == -1) {
		log_err("comment: a body past the Markdown limits");
		return E_INVALID;
	}
	status = db_scalar("SELECT status FROM tickets WHERE id = ? AND"
	    " workspace_id = ? FOR UPDATE", "ii", ticket_id, a->ws_id);
	if (status < 1) {
		free(own);
		return db_failed() ? db_error() : E_NOT_FOUND;
	}
	rc = db_exec("INSERT INTO comments (ticket_id, workspace_id, author_id,"
	    " body, body_html, body_format, internal, created_at) VALUES"
	    " (?, ?, NULLIF(?, 0), ?, ?, ?, ?, UTC_TIMESTAMP())", "iiissii",
	    ticket_id, a->ws_id, a->user_id, b->text, html,
	    (long long)b->format, (long long)(internal != 0));
	free(own);
	if (rc != 1)
		return db_error();
	*id = db_insert_id();
	if ((rc = searchidx_put(a->ws_id, ticket_id, *id, internal,
	    b->text)) != OK)
		return (enum outcome)rc;
	/* A note is news to agents only; a public reply to everyone. */
	if (db_exec("UPDATE tickets SET updated_at = UTC_TIMESTAMP(),"
	    " public_updated_at = IF(? = 1, public_updated_at,"
	    " UTC_TIMESTAMP()) WHERE id = ?", "ii", (long long)(internal != 0),
	    ticket_id) == -1)
		return db_error();
	if ((rc = searchidx_touch(ticket_id)) != OK)
		return (enum outcome)rc;
	/* What a helpdesk does by itself: an agent's first public reply
	 * opens a new ticket; a requester's reply reopens one that was
	 * waiting on them or solved. */
	to = (int)status;
	if (!internal && agent && status == ST_NEW)
		to = ST_OPEN;
	if (!internal && !agent && (status == ST_PENDING || status == ST_SOLVED))
		to = ST_OPEN;
	if (set_status(a, ticket_id, (int)status, to) == -1)
		return db_error();
	/* A note is never mailed (notify.h). */
	return internal ? OK : notify_reply(a, ticket_id, *id);
}

/* The display name of an assignee, or "unassigned", in *name (caller
 * frees): OK, E_NOT_FOUND when uid may not be assigned in ws, E_DB. */
static enum outcome
assignee_name(long long ws, long long uid, char **name)
{
	const char *roles[AUTHZ_ROLES];
	struct dbres *res;
	int rc;

	*name = NULL;
	if (uid <= 0) {
		*name = xstrdup("unassigned");
		return OK;
	}
	authz_roles(P_ASSIGNEE, roles);
	res = db_query("SELECT u.name FROM memberships m JOIN users u"
	    " ON u.id = m.user_id WHERE m.workspace_id = ? AND m.user_id = ?"
	    " AND" AUTHZ_ROLE_IN("m.role"), "iisss", ws, uid,
	    AUTHZ_ROLES_ARGS(roles));
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		*name = xstrdup(db_str(res, 0));
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

static int
set_tags(long long ws, long long ticket_id, const char *tags)
{
	const char *p = tags;

	if (db_exec("DELETE FROM ticket_tags WHERE ticket_id = ?", "i",
	    ticket_id) == -1)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *tag = xstrndup(p, n);
		long long rc = db_exec("INSERT INTO ticket_tags (ticket_id,"
		    " workspace_id, tag) VALUES (?, ?, ?)", "iis", ticket_id,
		    ws, tag);

		free(tag);
		if (rc == -1)
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* Replaces who is copied on a ticket; emails were checked by cc_normalize. */
static int
set_cc(long long ws, long long ticket_id, const char *emails)
{
	const char *p = emails;

	if (db_exec("DELETE FROM ticket_cc WHERE ticket_id = ?", "i",
	    ticket_id) == -1)
		return -1;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *email = xstrndup(p, n);
		long long rc = db_exec("INSERT INTO ticket_cc (ticket_id,"
		    " user_id) SELECT ?, u.id FROM users u JOIN memberships m"
		    " ON m.user_id = u.id WHERE m.workspace_id = ? AND"
		    " u.email = ?", "iis", ticket_id, ws, email);

		free(email);
		if (rc == -1)
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum outcome
cc_normalize(const struct actor *a, const char *in, char **out,
    const char **bad)
{
	char *list[20], *copy = xstrdup(in), *tok, *save = NULL;
	struct buf b = BUF_INIT;
	enum outcome rc = E_INVALID;
	size_t n = 0, i;

	*out = NULL;
	*bad = NULL;
	for (tok = strtok_r(copy, ", \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t\r\n", &save)) {
		long long m;
		enum outcome found;

		str_lower_ascii(tok);
		for (i = 0; i < n && strcmp(list[i], tok) != 0; i++)
			;
		if (i < n)
			continue;
		if (n == nitems(list)) {
			*bad = _("Copy at most 20 people.");
			goto fail;
		}
		if ((found = member_confirmed(a->ws_id, tok, &m)) ==
		    E_NOT_FOUND) {
			*bad = _("Only members of this workspace can be copied "
			    "on a ticket.");
			goto fail;
		}
		if (found == E_FORBIDDEN) {
			*bad = _("Only people who have confirmed their email "
			    "address can be copied on a ticket.");
			goto fail;
		}
		if (found != OK) {
			rc = found;
			goto fail;
		}
		list[n++] = tok;
	}
	qsort(list, n, sizeof(*list), cmp_str);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, list[i]);
	}
	free(copy);
	*out = buf_detach(&b);
	return OK;
fail:
	free(copy);
	buf_free(&b);
	return rc;
}

struct old_ticket {
	int		 status, priority;
	long long	 assignee, version;
	char		*tags;
	char		*cc;
};

/* Locks ticket id of a's workspace and reads it into *o: OK, E_NOT_FOUND,
 * E_DB. */
static enum outcome
lock_ticket(const struct actor *a, long long id, struct old_ticket *o)
{
	struct dbres *res;
	int rc;

	res = db_query("SELECT status, priority, COALESCE(assignee_id, 0),"
	    " tags, version, (SELECT COALESCE(GROUP_CONCAT(u.email ORDER BY"
	    " u.email SEPARATOR ','), '') FROM ticket_cc c JOIN users u ON"
	    " u.id = c.user_id WHERE c.ticket_id = t.id) FROM tickets t"
	    " WHERE id = ? AND workspace_id = ? FOR UPDATE", "ii", id,
	    a->ws_id);
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		o->status = (int)db_int(res, 0);
		o->priority = (int)db_int(res, 1);
		o->assignee = db_int(res, 2);
		o->tags = xstrdup(db_str(res, 3));
		o->version = db_int(res, 4);
		o->cc = xstrdup(db_str(res, 5));
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/* OK, E_INVALID when to may not be assigned, E_DB. */
static enum outcome
change_assignee(const struct actor *a, long long id, long long from,
    long long to)
{
	char *was = NULL, *now = NULL;
	enum outcome rc;

	/* Whoever was assigned may have left the workspace since. */
	if ((rc = assignee_name(a->ws_id, from, &was)) == E_NOT_FOUND)
		was = xstrdup("former member");
	else if (rc != OK)
		goto out;
	if ((rc = assignee_name(a->ws_id, to, &now)) != OK) {
		if (rc == E_NOT_FOUND)
			rc = E_INVALID;
		goto out;
	}
	if (db_exec("UPDATE tickets SET assignee_id = NULLIF(?, 0) WHERE"
	    " id = ?", "ii", to < 0 ? 0 : to, id) == -1 ||
	    event_add(a, id, "assignee", was, now) == -1)
		rc = db_error();
out:
	free(was);
	free(now);
	return rc;
}

enum outcome
ticket_update(const struct actor *a, long long id, long long version,
    const struct ticket_change *ch)
{
	struct old_ticket o;
	enum outcome rc;
	int changed = 0;

	memset(&o, 0, sizeof(o));
	if ((rc = lock_ticket(a, id, &o)) != OK)
		return rc;
	rc = E_DB;
	if (o.version != version) {
		rc = E_CONFLICT;
		goto out;
	}
	if (ch->status && ch->status != o.status) {
		if (set_status(a, id, o.status, ch->status) == -1)
			goto out;
		changed = 1;
	}
	if (ch->priority && ch->priority != o.priority) {
		if (db_exec("UPDATE tickets SET priority = ? WHERE id = ?", "ii",
		    (long long)ch->priority, id) == -1 ||
		    event_add(a, id, "priority", priority_name(o.priority),
		    priority_name(ch->priority)) == -1)
			goto out;
		changed = 1;
	}
	if (ch->assignee && (ch->assignee < 0 ? 0 : ch->assignee) !=
	    o.assignee) {
		if ((rc = change_assignee(a, id, o.assignee, ch->assignee)) !=
		    OK)
			goto out;
		rc = E_DB;
		changed = 1;
	}
	if (ch->tags && strcmp(ch->tags, o.tags) != 0) {
		if (db_exec("UPDATE tickets SET tags = ? WHERE id = ?", "si",
		    ch->tags, id) == -1 || set_tags(a->ws_id, id, ch->tags) ==
		    -1 || event_add(a, id, "tags", o.tags, ch->tags) == -1)
			goto out;
		changed = 1;
	}
	if (ch->cc && strcmp(ch->cc, o.cc) != 0) {
		if (set_cc(a->ws_id, id, ch->cc) == -1 ||
		    event_add(a, id, "cc", o.cc, ch->cc) == -1)
			goto out;
		changed = 1;
	}
	if (changed && (db_exec("UPDATE tickets SET version = ?,"
	    " updated_at = UTC_TIMESTAMP() WHERE id = ?", "ii", version + 1,
	    id) == -1 || searchidx_touch(id) != OK))
		goto out;
	/* The mail, once the ticket is as it will be committed. */
	if (ch->assignee > 0 && ch->assignee != o.assignee &&
	    (rc = notify_assigned(a, id, ch->assignee)) != OK)
		goto out;
	if (ch->status == ST_SOLVED && o.status != ST_SOLVED &&
	    (rc = notify_solved(a, id)) != OK)
		goto out;
	rc = OK;
out:
	free(o.tags);
	free(o.cc);
	return rc == E_DB ? db_error() : rc;
}

enum outcome
ticket_any(const struct actor *a, int *any)
{
	long long v;

	/* Two indexed lookups for the others (tickets_requester,
	 * ticket_cc_user), not the one-ticket predicate's OR (authz.h). */
	if (actor_can(a, P_TICKET_VIEW_ALL))
		v = db_scalar("SELECT EXISTS (SELECT 1 FROM tickets"
		    " WHERE workspace_id = ?)", "i", a->ws_id);
	else
		v = db_scalar("SELECT EXISTS (SELECT 1 FROM tickets"
		    " WHERE workspace_id = ? AND requester_id = ?) OR"
		    " EXISTS (SELECT 1 FROM ticket_cc cc JOIN tickets t"
		    " ON t.id = cc.ticket_id WHERE cc.user_id = ? AND"
		    " t.workspace_id = ?)", "iiii", a->ws_id, a->user_id,
		    a->user_id, a->ws_id);
	if (v < 0)
		return db_error();
	*any = v > 0;
	return OK;
}

struct json_object *
ticket_counts(const struct actor *a)
{
	long long n[ST__MAX] = { 0 };
	struct json_object *list;
	struct dbres *res;
	int i, rc;

	if (actor_can(a, P_TICKET_VIEW_ALL))
		res = db_query("SELECT status, n FROM ticket_counts"
		    " WHERE workspace_id = ?", "i", a->ws_id);
	else
		res = db_query("SELECT t.status, COUNT(*) FROM tickets t"
		    AUTHZ_TICKET_MINE_JOIN("t") "WHERE t.workspace_id = ?"
		    " GROUP BY t.status", "iiii", AUTHZ_MINE_ARGS(a),
		    a->ws_id);
	if (res == NULL)
		return NULL;
	while ((rc = db_next(res)) == 1) {
		long long s = db_int(res, 0);

		if (s > 0 && s < ST__MAX)
			n[s] = db_int(res, 1);
	}
	db_free(res);
	if (rc == -1)
		return NULL;
	list = json_object_new_array();
	for (i = 1; i < ST__MAX; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", jstr(status_name(i)));
		json_object_object_add(o, "n", json_object_new_int64(n[i]));
		json_object_array_add(list, o);
	}
	return list;
}

int
ticket_queue_count_known(const struct actor *a,
    const struct queue_filter *given, struct json_object *counts,
    long long max, long long *n, int *more)
{
	struct queue_filter f = *given;
	struct json_object *o, *v;
	size_t i;

	queue_filter_scope(a, &f);
	/* ticket_counts counts the same tickets as the queue selects
	 * without filters (every one for an agent, one's own else). */
	if ((f.q && *f.q) || (f.tag && *f.tag) || f.priority ||
	    f.assignee || f.requester)
		return 0;
	*n = 0;
	*more = 0;
	for (i = 0; i < json_object_array_length(counts); i++) {
		/* Status i + 1 (ticket_counts). */
		if (f.status && f.status != (int)i + 1)
			continue;
		o = json_object_array_get_idx(counts, i);
		if (json_object_object_get_ex(o, "n", &v))
			*n += json_object_get_int64(v);
	}
	/* Exact for an agent (kept counts), bounded otherwise as
	 * ticket_queue_count is. */
	if (!actor_can(a, P_TICKET_VIEW_ALL) && *n > max) {
		*n = max;
		*more = 1;
	}
	return 1;
}

/*
 * The assignee list of a few workspaces, kept by this worker: it changes
 * rarely, and its statement (a hundred agents sorted by name) costs as
 * much as the ticket's own. A slot is used only while the workspace's
 * version (read with the session, in the statement every page makes
 * anyway) is the one it was made at: every change of members, roles or
 * names bumps it in its own transaction, on whichever app node
 * (ws_changed), so the next page after one reads the list again.
 */
#define ASSIGNEE_SLOTS	8

static struct assignee_slot {
	long long		 ws_id;
	long long		 version;
	struct json_object	*list;
} assignee_cache[ASSIGNEE_SLOTS];

static struct assignee_slot *
assignee_slot(long long ws_id)
{
	return &assignee_cache[(unsigned long long)ws_id % ASSIGNEE_SLOTS];
}

static struct json_object *
assignees_query(const struct actor *a)
{
	const char *roles[AUTHZ_ROLES];
	struct json_object *list;
	struct dbres *res;

	authz_roles(P_ASSIGNEE, roles);
	res = db_query("SELECT u.id, u.name FROM memberships m"
	    " JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND"
	    AUTHZ_ROLE_IN("m.role") "ORDER BY u.name, u.id", "isss",
	    a->ws_id, AUTHZ_ROLES_ARGS(roles));
	if (res == NULL)
		return NULL;
	list = db_rows_json(res);
	db_free(res);
	return list;
}

/* A copy the caller may change (the page marks the one selected). */
static struct json_object *
assignees_copy(struct json_object *list)
{
	struct json_object *copy = NULL;

	if (json_object_deep_copy(list, &copy, NULL) != 0)
		die("out of memory");
	return copy;
}

struct json_object *
ticket_assignees(const struct actor *a)
{
	struct assignee_slot *slot = assignee_slot(a->ws_id);
	struct json_object *list;

	if (a->ws_version != 0 && slot->list != NULL &&
	    slot->ws_id == a->ws_id && slot->version == a->ws_version)
		return assignees_copy(slot->list);
	/* Read after the version was: never older than what it is kept
	 * for. */
	if ((list = assignees_query(a)) == NULL || a->ws_version == 0)
		return list;
	json_object_put(slot->list);
	slot->ws_id = a->ws_id;
	slot->version = a->ws_version;
	slot->list = list;
	return assignees_copy(list);
}

enum outcome
ticket_assignee_ok(const struct actor *a, long long uid)
{
	enum outcome rc;
	char *name;

	rc = assignee_name(a->ws_id, uid, &name);
	free(name);
	return rc;
}
