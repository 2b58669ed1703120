/*
 * export: a person's data and a whole workspace as a streamed zip
 * (export.h; the JSON format is docs/export.md).
 *
 * The JSON is written as text around objects: the top-level object and
 * its arrays by hand, each element (a ticket with its thread, a session,
 * an audit row) built as one small json-c object, serialised, written
 * and let go. Lists are read in keyset pages by id, so neither the
 * document nor a query's result grows with the data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "attachments.h"
#include "authz.h"
#include "buf.h"
#include "crypto.h"
#include "db.h"
#include "export.h"
#include "holds.h"
#include "log.h"
#include "notify.h"
#include "quarantine.h"
#include "tickets.h"
#include "util.h"
#include "zipstream.h"

/* Times in the JSON: ISO 8601, UTC (every connection is UTC). */
#define ISO(col)	" DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ') "
#define DELETED_USER	"Deleted user"

struct exp {
	const struct actor *a;		/* who exports */
	struct zipstream *z;
	time_t		 now;
	/* The workspace export: every note, and people's addresses (its
	 * admin sees them on the members page already). A person's own
	 * export names other people and nothing more. */
	int		 whole;
	int		 first;		/* the open array has no element yet */
	const char	*why;		/* the first failure, for the log */
};

/* One workspace the export reads, with the role it reads it by. */
struct ws {
	struct actor	 a;		/* e->a acting in it */
	char		 slug[64];
	char		 name[128];
};

static int
fail(struct exp *e, const char *why)
{
	if (e->why == NULL)
		e->why = why;
	return -1;
}

static int
put(struct exp *e, const char *s)
{
	if (zip_puts(e->z, s) == -1)
		return fail(e, zip_error(e->z));
	return 0;
}

/* ,"key": and an array opened: elements follow with item(). Keys are
 * ours: plain ASCII names. */
static int
open_array(struct exp *e, const char *key)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_printf(&b, ",\n\"%s\":[", key);
	rc = put(e, buf_str(&b));
	buf_free(&b);
	e->first = 1;
	return rc;
}

static int
close_array(struct exp *e)
{
	return put(e, "\n]");
}

static const char *
json_text(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* One element of the open array: o is serialised, written and let go. */
static int
item(struct exp *e, struct json_object *o)
{
	int rc;

	rc = put(e, e->first ? "\n" : ",\n");
	if (rc == 0)
		rc = put(e, json_text(o));
	e->first = 0;
	json_object_put(o);
	return rc;
}

/* ,"key":value at the top level; o is let go. */
static int
member(struct exp *e, const char *key, struct json_object *o)
{
	struct buf b = BUF_INIT;
	int rc;

	if (o == NULL)
		return fail(e, "the database failed");
	buf_printf(&b, ",\n\"%s\":%s", key, json_text(o));
	rc = put(e, buf_str(&b));
	buf_free(&b);
	json_object_put(o);
	return rc;
}

/* Every row of res (column aliases are the keys) as elements of the
 * open array; res is freed. */
static int
rows(struct exp *e, struct dbres *res, const char *what)
{
	int rc;

	if (res == NULL)
		return fail(e, what);
	while ((rc = db_next(res)) == 1)
		if (item(e, db_row_json(res)) == -1) {
			db_free(res);
			return -1;
		}
	db_free(res);
	return rc == -1 ? fail(e, what) : 0;
}

/* The first row of res as an object; NULL when none or on an error.
 * res is freed. */
static struct json_object *
one_row(struct dbres *res)
{
	struct json_object *o = NULL;

	if (res != NULL && db_next(res) == 1)
		o = db_row_json(res);
	db_free(res);
	return o;
}

/* A whole small list (sessions, members) as "key": [...]. */
static int
section(struct exp *e, const char *key, struct dbres *res, const char *what)
{
	if (open_array(e, key) == -1) {
		db_free(res);
		return -1;
	}
	if (rows(e, res, what) == -1)
		return -1;
	return close_array(e);
}

static struct json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* A person as the export shows them: by name; with id and address in
 * the workspace export. NULL id: the account was erased. */
static struct json_object *
person(const struct exp *e, const struct dbres *res, unsigned id,
    unsigned name, unsigned email)
{
	struct json_object *p = json_object_new_object();
	int gone = db_str(res, id) == NULL;

	json_object_object_add(p, "name", jstr(gone || db_str(res, name) ==
	    NULL ? DELETED_USER : db_str(res, name)));
	if (e->whole && !gone) {
		json_object_object_add(p, "id",
		    json_object_new_int64(db_int(res, id)));
		json_object_object_add(p, "email", jstr(db_str(res, email)));
	}
	if (!e->whole && !gone && db_int(res, id) == e->a->user_id)
		json_object_object_add(p, "you", json_object_new_boolean(1));
	return p;
}

/* Where an attachment's bytes are in the archive. */
static void
file_path(struct buf *b, const struct ws *w, long long id,
    const char *filename)
{
	buf_printf(b, "files/%s/%lld-%s", w->slug, id, filename);
}

/* ---- a ticket and its thread ------------------------------------------ */

/* The messages of ticket id that w's role may read (AUTHZ_COMMENT_VISIBLE,
 * as the ticket page), oldest first. */
static struct json_object *
thread(struct exp *e, const struct ws *w, long long id)
{
	struct json_object *list, *c;
	struct dbres *res;
	int rc;

	res = db_query("SELECT c.id, c.internal, c.body," ISO("c.created_at")
	    ", c.author_id, u.name, u.email FROM comments c LEFT JOIN users u"
	    " ON u.id = c.author_id WHERE c.ticket_id = ? AND"
	    " c.workspace_id = ? AND" AUTHZ_COMMENT_VISIBLE("c")
	    "ORDER BY c.id", "iii", id, w->a.ws_id, AUTHZ_NOTE_ARG(&w->a));
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		c = json_object_new_object();
		json_object_object_add(c, "id",
		    json_object_new_int64(db_int(res, 0)));
		json_object_object_add(c, "type", jstr(db_int(res, 1) ?
		    "note" : "reply"));
		json_object_object_add(c, "author", person(e, res, 4, 5, 6));
		json_object_object_add(c, "body", jstr(db_str(res, 2)));
		json_object_object_add(c, "created_at", jstr(db_str(res, 3)));
		json_object_array_add(list, c);
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/*
 * The history of ticket id as the ticket page shows it to w's role:
 * status changes, or every change with P_TICKET_VIEW_ALL. Changes of who
 * is copied hold addresses: only the workspace export has them.
 */
static struct json_object *
events(struct exp *e, const struct ws *w, long long id)
{
	struct json_object *list, *ev;
	struct dbres *res;
	int rc;

	res = db_query("SELECT e.field, e.old_value, e.new_value,"
	    ISO("e.created_at") ", e.actor_id, u.name, u.email"
	    " FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id"
	    " WHERE e.ticket_id = ? AND e.workspace_id = ? AND"
	    " (e.field = 'status' OR ? = 1) AND (e.field <> 'cc' OR ? = 1)"
	    " ORDER BY e.id", "iiii", id, w->a.ws_id,
	    (long long)actor_can(&w->a, P_TICKET_VIEW_ALL),
	    (long long)e->whole);
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		ev = json_object_new_object();
		json_object_object_add(ev, "field", jstr(db_str(res, 0)));
		json_object_object_add(ev, "from", jstr(db_str(res, 1)));
		json_object_object_add(ev, "to", jstr(db_str(res, 2)));
		json_object_object_add(ev, "by", person(e, res, 4, 5, 6));
		json_object_object_add(ev, "created_at", jstr(db_str(res, 3)));
		json_object_array_add(list, ev);
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/* The files of ticket id on messages w's role may read; "file" is the
 * path of the bytes in the archive when it holds them (the workspace
 * export: all; a person's: those they uploaded). */
static struct json_object *
ticket_files(struct exp *e, const struct ws *w, long long id)
{
	struct json_object *list, *f;
	struct dbres *res;
	struct buf path = BUF_INIT;
	int rc;

	res = db_query("SELECT a.id, a.comment_id, a.filename, a.size,"
	    " a.uploader_id, u.name, u.email FROM attachments a"
	    " LEFT JOIN comments c ON c.id = a.comment_id"
	    " LEFT JOIN users u ON u.id = a.uploader_id"
	    " WHERE a.ticket_id = ? AND a.workspace_id = ? AND"
	    " (a.comment_id IS NULL OR" AUTHZ_COMMENT_VISIBLE("c") ")"
	    " ORDER BY a.id", "iii", id, w->a.ws_id, AUTHZ_NOTE_ARG(&w->a));
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		f = json_object_new_object();
		json_object_object_add(f, "id",
		    json_object_new_int64(db_int(res, 0)));
		json_object_object_add(f, "message_id", db_str(res, 1) ?
		    json_object_new_int64(db_int(res, 1)) : NULL);
		json_object_object_add(f, "filename", jstr(db_str(res, 2)));
		json_object_object_add(f, "size",
		    json_object_new_int64(db_int(res, 3)));
		json_object_object_add(f, "uploaded_by",
		    person(e, res, 4, 5, 6));
		if (e->whole || (db_str(res, 4) &&
		    db_int(res, 4) == e->a->user_id)) {
			buf_reset(&path);
			file_path(&path, w, db_int(res, 0), db_str(res, 2));
			json_object_object_add(f, "file", jstr(buf_str(&path)));
		}
		json_object_array_add(list, f);
	}
	db_free(res);
	buf_free(&path);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/* Who is copied on ticket id (agents and admins see it). */
static struct json_object *
ticket_cc(struct exp *e, long long id)
{
	struct json_object *list;
	struct dbres *res;
	int rc;

	res = db_query("SELECT u.id, u.name, u.email FROM ticket_cc c"
	    " JOIN users u ON u.id = c.user_id WHERE c.ticket_id = ?"
	    " ORDER BY u.id", "i", id);
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1)
		json_object_array_add(list, person(e, res, 0, 1, 2));
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

static struct json_object *
tags_array(const char *tags)
{
	struct json_object *list = json_object_new_array();
	const char *p = tags ? tags : "";

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n > 0)
			json_object_array_add(list,
			    json_object_new_string_len(p, (int)n));
		p += n;
		if (*p == ',')
			p++;
	}
	return list;
}

#define TICKET_COLS \
	"SELECT t.id, t.number, t.subject, t.body, t.status, t.priority," \
	" t.tags," ISO("t.created_at") "," ISO("t.updated_at") "," \
	ISO("t.public_updated_at") ", t.requester_id, rq.name, rq.email," \
	" t.assignee_id, asg.name, asg.email FROM tickets t" \
	" LEFT JOIN users rq ON rq.id = t.requester_id" \
	" LEFT JOIN users asg ON asg.id = t.assignee_id"

/* The ticket of the current row of res, whole: what w's role sees of it
 * (authz.h, "What of a ticket"), with its thread, history and files. */
static struct json_object *
ticket_obj(struct exp *e, const struct ws *w, struct dbres *res)
{
	struct json_object *t = json_object_new_object(), *sub;
	long long id = db_int(res, 0);
	int all = actor_can(&w->a, P_TICKET_VIEW_ALL);

	json_object_object_add(t, "workspace", jstr(w->slug));
	json_object_object_add(t, "number",
	    json_object_new_int64(db_int(res, 1)));
	json_object_object_add(t, "subject", jstr(db_str(res, 2)));
	json_object_object_add(t, "body", jstr(db_str(res, 3)));
	json_object_object_add(t, "status",
	    jstr(status_name((int)db_int(res, 4))));
	json_object_object_add(t, "created_at", jstr(db_str(res, 7)));
	/* A requester's "last changed" moves only with what they see. */
	json_object_object_add(t, "updated_at",
	    jstr(db_str(res, all ? 8 : 9)));
	json_object_object_add(t, "requester", person(e, res, 10, 11, 12));
	if (all) {
		json_object_object_add(t, "priority",
		    jstr(priority_name((int)db_int(res, 5))));
		json_object_object_add(t, "assignee", db_str(res, 13) ?
		    person(e, res, 13, 14, 15) : NULL);
		json_object_object_add(t, "tags", tags_array(db_str(res, 6)));
		if ((sub = ticket_cc(e, id)) == NULL)
			goto err;
		json_object_object_add(t, "cc", sub);
	}
	if ((sub = thread(e, w, id)) == NULL)
		goto err;
	json_object_object_add(t, "thread", sub);
	if ((sub = events(e, w, id)) == NULL)
		goto err;
	json_object_object_add(t, "events", sub);
	if ((sub = ticket_files(e, w, id)) == NULL)
		goto err;
	json_object_object_add(t, "attachments", sub);
	return t;
err:
	json_object_put(t);
	return NULL;
}

/*
 * The tickets of w, EXPORT_PAGE at a time by id, as elements of the open
 * array: those requester uid opened, or every one (uid 0). A page's rows
 * are made into objects and the result let go before their threads are
 * read, so one query is open at a time.
 */
static int
tickets(struct exp *e, const struct ws *w, long long uid)
{
	struct json_object *page;
	struct dbres *res;
	long long after = 0;
	size_t i, n;
	int rc;

	for (;;) {
		if (uid)
			res = db_query(TICKET_COLS " WHERE t.workspace_id = ?"
			    " AND t.requester_id = ? AND t.id > ?"
			    " ORDER BY t.id LIMIT ?", "iiii", w->a.ws_id, uid,
			    after, (long long)EXPORT_PAGE);
		else
			res = db_query(TICKET_COLS " WHERE t.workspace_id = ?"
			    " AND t.id > ? ORDER BY t.id LIMIT ?", "iii",
			    w->a.ws_id, after, (long long)EXPORT_PAGE);
		if (res == NULL)
			return fail(e, "the database failed reading tickets");
		page = json_object_new_array();
		while ((rc = db_next(res)) == 1) {
			struct json_object *t;

			after = db_int(res, 0);
			if ((t = ticket_obj(e, w, res)) == NULL) {
				rc = -1;
				break;
			}
			json_object_array_add(page, t);
		}
		db_free(res);
		n = json_object_array_length(page);
		for (i = 0; rc == 0 && i < n; i++)
			if (item(e, json_object_get(
			    json_object_array_get_idx(page, i))) == -1)
				rc = -2;
		json_object_put(page);
		if (rc == -1)
			return fail(e, "the database failed reading a ticket");
		if (rc == -2)
			return -1;
		if (n < EXPORT_PAGE)
			return 0;
	}
}

/* ---- files -------------------------------------------------------------- */

#define FILE_COLS \
	"SELECT a.id, t.number, a.comment_id, a.filename, a.content_type," \
	" a.size, a.sha256," ISO("a.created_at") ", a.uploader_id, u.name," \
	" u.email FROM attachments a JOIN tickets t ON t.id = a.ticket_id" \
	" LEFT JOIN comments c ON c.id = a.comment_id" \
	" LEFT JOIN users u ON u.id = a.uploader_id"

/* A page of the files the export holds from w, after id: every one
 * (uid 0), or those uid uploaded to messages w's role may read. */
static struct dbres *
files_page(const struct ws *w, long long uid, long long after)
{
	if (uid == 0)
		return db_query(FILE_COLS " WHERE a.workspace_id = ? AND"
		    " a.id > ? ORDER BY a.id LIMIT ?", "iii", w->a.ws_id,
		    after, (long long)EXPORT_PAGE);
	return db_query(FILE_COLS " WHERE a.workspace_id = ? AND"
	    " a.uploader_id = ? AND (a.comment_id IS NULL OR"
	    AUTHZ_COMMENT_VISIBLE("c") ") AND" AUTHZ_TICKET_VISIBLE("t")
	    "AND a.id > ? ORDER BY a.id LIMIT ?", "iiiiiiii", w->a.ws_id,
	    uid, AUTHZ_NOTE_ARG(&w->a), AUTHZ_TICKET_ARGS(&w->a), after,
	    (long long)EXPORT_PAGE);
}

/* The current row of files_page as the "files" list shows it. */
static struct json_object *
file_obj(struct exp *e, const struct ws *w, struct dbres *res)
{
	struct json_object *f = json_object_new_object();
	struct buf path = BUF_INIT;
	char hex[65];

	hex_encode(db_str(res, 6), db_len(res, 6) < 32 ? db_len(res, 6) : 32,
	    hex);
	file_path(&path, w, db_int(res, 0), db_str(res, 3));
	json_object_object_add(f, "file", jstr(buf_str(&path)));
	json_object_object_add(f, "id", json_object_new_int64(db_int(res, 0)));
	json_object_object_add(f, "workspace", jstr(w->slug));
	json_object_object_add(f, "ticket",
	    json_object_new_int64(db_int(res, 1)));
	json_object_object_add(f, "message_id", db_str(res, 2) ?
	    json_object_new_int64(db_int(res, 2)) : NULL);
	json_object_object_add(f, "filename", jstr(db_str(res, 3)));
	json_object_object_add(f, "content_type", jstr(db_str(res, 4)));
	json_object_object_add(f, "size",
	    json_object_new_int64(db_int(res, 5)));
	json_object_object_add(f, "sha256", jstr(hex));
	json_object_object_add(f, "uploaded_at", jstr(db_str(res, 7)));
	json_object_object_add(f, "uploaded_by", person(e, res, 8, 9, 10));
	buf_free(&path);
	return f;
}

/* attachment_send's writer: the open archive entry. */
static int
entry_write(void *arg, const void *p, size_t n)
{
	return zip_write(arg, p, n);
}

/* One file of files_page's current row into an entry of its own, a chunk
 * at a time (attachment_send). */
static int
file_entry(struct exp *e, const struct ws *w, struct dbres *res)
{
	struct attachment_file f;
	struct buf path = BUF_INIT;
	int rc;

	memset(&f, 0, sizeof(f));
	if (db_len(res, 6) != sizeof(f.sha256))
		return fail(e, "a file's stored hash makes no sense");
	memcpy(f.sha256, db_str(res, 6), sizeof(f.sha256));
	f.size = db_int(res, 5);
	file_path(&path, w, db_int(res, 0), db_str(res, 3));
	rc = zip_entry(e->z, buf_str(&path), f.size, e->now, 0);
	buf_free(&path);
	if (rc == -1)
		return fail(e, zip_error(e->z));
	if (attachment_send(&w->a, db_int(res, 0), &f, entry_write,
	    e->z) == -1)
		return fail(e, "a file could not be read or written whole");
	return 0;
}

/* Every file of w that the export holds (files_page): as elements of
 * the open "files" array (entries 0), or into archive entries. */
static int
files(struct exp *e, const struct ws *w, long long uid, int entries)
{
	struct dbres *res;
	long long after = 0;
	int rc, n;

	do {
		if ((res = files_page(w, uid, after)) == NULL)
			return fail(e, "the database failed reading files");
		n = 0;
		/* A page is a stored result: the chunk queries of
		 * file_entry run while it is open, each its own statement. */
		while ((rc = db_next(res)) == 1) {
			n++;
			after = db_int(res, 0);
			if ((entries ? file_entry(e, w, res) :
			    item(e, file_obj(e, w, res))) == -1) {
				db_free(res);
				return -1;
			}
		}
		db_free(res);
		if (rc == -1)
			return fail(e, "the database failed reading files");
	} while (n == EXPORT_PAGE);
	return 0;
}

/* ---- quarantined mail ------------------------------------------------- */

/* The mail in quarantine that e's user sent (quarantine.h): by their
 * account, or from their address. Column 0 is the id, 1 the workspace
 * (NULL for none), 2 the size. */
#define QUARANTINE_MINE \
	" FROM mail_quarantine q LEFT JOIN workspaces w ON" \
	" w.id = q.workspace_id WHERE q.sender_id = ? OR q.from_addr =" \
	" (SELECT u.email FROM users u WHERE u.id = ?) ORDER BY q.id"

static int
quarantine_rows(struct exp *e)
{
	return section(e, "quarantined_mail", db_query("SELECT q.id AS id,"
	    " w.slug AS workspace," ISO("q.created_at") "AS received,"
	    " q.from_addr AS from_addr, q.from_name AS from_name,"
	    " q.subject AS subject, q.message_id AS message_id,"
	    " q.reason AS reason, q.body_text AS text, q.size AS size,"
	    " CONCAT('quarantine/', q.id, '.eml') AS file" QUARANTINE_MINE,
	    "ii", e->a->user_id, e->a->user_id),
	    "the database failed reading quarantined mail");
}

/* The workspace's quarantine (the workspace export), in the same
 * columns. */
#define QUARANTINE_WS \
	" FROM mail_quarantine q LEFT JOIN workspaces w ON" \
	" w.id = q.workspace_id WHERE q.workspace_id = ? ORDER BY q.id"

static int
quarantine_ws_rows(struct exp *e, long long ws)
{
	return section(e, "quarantine", db_query("SELECT q.id AS id,"
	    ISO("q.created_at") "AS received, q.reason_code AS reason_code,"
	    " q.reason AS reason, q.from_addr AS from_addr, q.from_name AS"
	    " from_name, q.subject AS subject, q.message_id AS message_id,"
	    " q.sender_id AS sender_id, q.body_text AS text, q.size AS size,"
	    " CONCAT('quarantine/', q.id, '.eml') AS file" QUARANTINE_WS,
	    "i", ws), "the database failed reading the quarantine");
}

/* Each message of res (id, workspace id, size; freed), whole, as
 * quarantine/ID.eml. */
static int
quarantine_entries(struct exp *e, struct dbres *res)
{
	struct buf path = BUF_INIT;
	int rc;

	if (res == NULL)
		return fail(e, "the database failed reading quarantined mail");
	while ((rc = db_next(res)) == 1) {
		buf_reset(&path);
		buf_printf(&path, "quarantine/%lld.eml", db_int(res, 0));
		if (zip_entry(e->z, buf_str(&path), db_int(res, 2), e->now,
		    0) == -1) {
			rc = fail(e, zip_error(e->z));
			break;
		}
		if (quarantine_send(db_str(res, 1) ? db_int(res, 1) : -1,
		    db_int(res, 0), db_int(res, 2), entry_write, e->z) == -1) {
			rc = fail(e, "a quarantined message could not be read");
			break;
		}
	}
	db_free(res);
	buf_free(&path);
	if (rc == -1 && e->why == NULL)
		return fail(e, "the database failed reading quarantined mail");
	return rc == -1 ? -1 : 0;
}

/* ---- the document ---------------------------------------------------- */

static int
begin(struct exp *e, const struct actor *a, zip_sink sink, void *arg,
    const char *kind)
{
	struct buf b = BUF_INIT;
	char when[32];
	struct tm tm;
	int rc;

	memset(e, 0, sizeof(*e));
	e->a = a;
	e->now = time(NULL);
	gmtime_r(&e->now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((e->z = zip_open(sink, arg)) == NULL)
		return -1;
	if (zip_entry(e->z, "export.json", -1, e->now, 1) == -1)
		return fail(e, zip_error(e->z));
	buf_printf(&b, "{\"format\":\"%s\",\n\"version\":%d,\n\"kind\":\"%s\","
	    "\n\"exported_at\":\"%s\"", EXPORT_FORMAT, EXPORT_VERSION, kind,
	    when);
	rc = put(e, buf_str(&b));
	buf_free(&b);
	return rc;
}

/* The archive's end, or nothing of it after a failure. */
static int
end(struct exp *e, int rc, const char *what)
{
	if (e->z == NULL)
		return -1;
	if (rc == 0)
		return zip_close(e->z);
	log_err("%s cut short: %s", what, e->why ? e->why : "unknown");
	zip_abort(e->z);
	return -1;
}

/* The workspaces of e's user, each with its role: NULL on an error. The
 * caller frees. */
static struct ws *
memberships(struct exp *e, size_t *n)
{
	struct dbres *res;
	struct ws *list = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	res = db_query("SELECT w.id, w.slug, w.name, m.role FROM memberships m"
	    " JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ?"
	    " ORDER BY w.id", "i", e->a->user_id);
	if (res == NULL)
		return NULL;
	while ((rc = db_next(res)) == 1) {
		struct ws *w;

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof(*list));
		}
		w = &list[(*n)++];
		memset(w, 0, sizeof(*w));
		/* Slugs are at most 40 characters, names 100. */
		snprintf(w->slug, sizeof(w->slug), "%s", db_str(res, 1));
		snprintf(w->name, sizeof(w->name), "%s", db_str(res, 2));
		w->a = *e->a;
		actor_workspace(&w->a, db_int(res, 0), w->slug,
		    role_parse(db_str(res, 3)));
	}
	db_free(res);
	if (rc == -1) {
		free(list);
		return NULL;
	}
	if (list == NULL)
		list = xmalloc(sizeof(*list));
	return list;
}

/* What e's user wrote on tickets of w they did not request, as far as
 * w's role may read it, EXPORT_PAGE at a time. */
static int
authored(struct exp *e, const struct ws *w)
{
	struct dbres *res;
	long long after = 0;
	int rc, n;

	do {
		res = db_query("SELECT c.id AS id, ? AS workspace,"
		    " t.number AS ticket, IF(c.internal, 'note', 'reply')"
		    " AS type, c.body AS body," ISO("c.created_at")
		    " AS created_at FROM comments c JOIN tickets t ON"
		    " t.id = c.ticket_id WHERE c.author_id = ? AND"
		    " c.workspace_id = ? AND t.requester_id <> ? AND"
		    AUTHZ_COMMENT_VISIBLE("c") "AND" AUTHZ_TICKET_VISIBLE("t")
		    "AND c.id > ? ORDER BY c.id LIMIT ?", "siiiiiiiii",
		    w->slug, e->a->user_id, w->a.ws_id, e->a->user_id,
		    AUTHZ_NOTE_ARG(&w->a), AUTHZ_TICKET_ARGS(&w->a), after,
		    (long long)EXPORT_PAGE);
		if (res == NULL)
			return fail(e, "the database failed reading comments");
		n = 0;
		while ((rc = db_next(res)) == 1) {
			n++;
			after = db_int(res, 0);
			if (item(e, db_row_json(res)) == -1) {
				db_free(res);
				return -1;
			}
		}
		db_free(res);
		if (rc == -1)
			return fail(e, "the database failed reading comments");
	} while (n == EXPORT_PAGE);
	return 0;
}

/* For each workspace: fn(e, w) inside the open array key. */
static int
each_ws(struct exp *e, const char *key, struct ws *ws, size_t n,
    int (*fn)(struct exp *, const struct ws *))
{
	size_t i;

	if (open_array(e, key) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (fn(e, &ws[i]) == -1)
			return -1;
	return close_array(e);
}

static int
my_tickets(struct exp *e, const struct ws *w)
{
	return tickets(e, w, e->a->user_id);
}

static int
my_files(struct exp *e, const struct ws *w)
{
	return files(e, w, e->a->user_id, 0);
}

static int
user_body(struct exp *e)
{
	const struct actor *a = e->a;
	struct json_object *list;
	struct ws *ws;
	size_t n, i;
	int rc = -1;

	if ((ws = memberships(e, &n)) == NULL)
		return fail(e, "the database failed reading memberships");
	if (member(e, "user", one_row(db_query("SELECT id, name, email,"
	    ISO("created_at") "AS created_at," ISO("email_confirmed_at")
	    "AS email_confirmed_at, lang, time_zone, queue_view"
	    " FROM users WHERE id = ?", "i",
	    a->user_id))) == -1)
		goto out;
	if (section(e, "memberships", db_query("SELECT w.slug AS workspace,"
	    " w.name AS workspace_name, m.role AS role," ISO("m.created_at")
	    "AS since," ISO("m.suspended_at") "AS suspended_at"
	    " FROM memberships m JOIN workspaces w ON"
	    " w.id = m.workspace_id WHERE m.user_id = ? ORDER BY w.id", "i",
	    a->user_id), "the database failed reading memberships") == -1 ||
	    each_ws(e, "tickets", ws, n, my_tickets) == -1 ||
	    each_ws(e, "authored", ws, n, authored) == -1 ||
	    each_ws(e, "files", ws, n, my_files) == -1 ||
	    section(e, "legal_holds", hold_for_person_rows(a->user_id),
	    "the database failed reading legal holds") == -1 ||
	    quarantine_rows(e) == -1)
		goto out;
	if (section(e, "sessions", db_query("SELECT" ISO("created_at") "AS"
	    " created_at," ISO("last_seen_at") "AS last_seen_at, ip,"
	    " user_agent FROM sessions WHERE user_id = ? ORDER BY id", "i",
	    a->user_id), "the database failed reading sessions") == -1 ||
	    section(e, "signins", db_query("SELECT" ISO("created_at") "AS"
	    " created_at, ip, user_agent FROM audit_log WHERE actor_id = ?"
	    " AND action = 'user.signin' ORDER BY id", "i", a->user_id),
	    "the database failed reading sign-ins") == -1 ||
	    section(e, "failed_signins", db_query("SELECT" ISO("created_at")
	    "AS created_at, ip, user_agent FROM audit_log"
	    " WHERE object_type = 'user' AND object_id = ?"
	    " AND action = 'user.signin_failed' ORDER BY id", "i",
	    a->user_id), "the database failed reading failed sign-ins") ==
	    -1 ||
	    section(e, "signin_failures", db_query("SELECT" ISO("f.created_at")
	    "AS created_at, f.ip AS ip FROM signin_failures f JOIN users u"
	    " ON u.email = f.email WHERE u.id = ? ORDER BY f.id", "i",
	    a->user_id), "the database failed reading sign-in failures") ==
	    -1 ||
	    section(e, "consents", db_query("SELECT purpose, granted = 1 AS"
	    " granted, policy_version," ISO("created_at") "AS created_at"
	    " FROM consents WHERE user_id = ? ORDER BY id", "i", a->user_id),
	    "the database failed reading consents") == -1 ||
	    section(e, "policy_acknowledgements", db_query("SELECT version,"
	    " how," ISO("created_at") "AS created_at FROM policy_acks"
	    " WHERE user_id = ? ORDER BY created_at, version", "i",
	    a->user_id), "the database failed reading policy notices") == -1 ||
	    /* Changes of theirs whose notifications are not mailed yet
	     * (notify.h): seconds old, but naming them. */
	    section(e, "pending_notifications", db_query("SELECT w.slug AS"
	    " workspace, t.number AS ticket, n.kind AS kind,"
	    ISO("n.created_at") "AS created_at FROM notify_events n"
	    " JOIN workspaces w ON w.id = n.workspace_id JOIN tickets t ON"
	    " t.id = n.ticket_id WHERE n.actor_id = ? ORDER BY n.id", "i",
	    a->user_id), "the database failed reading notifications") == -1)
		goto out;
	/* That two-factor sign-in is on and since when: never the secret
	 * or the recovery codes, which would let the file's reader in. */
	if (member(e, "two_factor", one_row(db_query("SELECT"
	    " t.enabled_at IS NOT NULL AS enabled," ISO("t.enabled_at")
	    "AS enabled_at, (SELECT COUNT(*) FROM totp_recovery r WHERE"
	    " r.user_id = u.id AND r.used_at IS NULL) AS recovery_codes_unused"
	    " FROM users u LEFT JOIN user_totp t ON t.user_id = u.id"
	    " WHERE u.id = ?", "i", a->user_id))) == -1)
		goto out;
	if ((list = notify_prefs(a->user_id)) == NULL) {
		fail(e, "the database failed reading notification settings");
		goto out;
	}
	if (member(e, "notifications", list) == -1 || put(e, "\n}\n") == -1)
		goto out;
	/* The bytes of every file the JSON lists, after it. */
	for (i = 0; i < n; i++)
		if (files(e, &ws[i], a->user_id, 1) == -1)
			goto out;
	if (quarantine_entries(e, db_query("SELECT q.id, q.workspace_id,"
	    " q.size" QUARANTINE_MINE, "ii", a->user_id, a->user_id)) == -1)
		goto out;
	rc = 0;
out:
	free(ws);
	return rc;
}

int
export_user(const struct actor *a, zip_sink sink, void *arg)
{
	struct exp e;
	int rc;

	if (a->user_id == 0)
		return -1;
	rc = begin(&e, a, sink, arg, "user");
	if (rc == 0)
		rc = user_body(&e);
	return end(&e, rc, "an export of a person's data");
}

static int
workspace_body(struct exp *e, const struct ws *w)
{
	long long after = 0;
	struct dbres *res;
	int rc, n;

	if (member(e, "workspace", one_row(db_query("SELECT slug, name,"
	    " portal_signup, erase_text, new_ticket_mail, inbound_address,"
	    ISO("created_at")
	    "AS created_at FROM workspaces WHERE id = ?", "i", w->a.ws_id))) ==
	    -1 ||
	    section(e, "members", db_query("SELECT u.id AS id, u.name AS name,"
	    " u.email AS email, m.role AS role," ISO("m.created_at") "AS since,"
	    ISO("m.suspended_at") "AS suspended_at"
	    " FROM memberships m JOIN users u ON u.id = m.user_id"
	    " WHERE m.workspace_id = ? ORDER BY u.id", "i", w->a.ws_id),
	    "the database failed reading members") == -1 ||
	    section(e, "invitations", db_query("SELECT i.id AS id, i.email AS"
	    " email, i.role AS role, u.name AS invited_by," ISO("i.created_at")
	    "AS created_at," ISO("i.expires_at") "AS expires_at,"
	    ISO("i.accepted_at") "AS accepted_at FROM invitations i"
	    " LEFT JOIN users u ON u.id = i.invited_by"
	    " WHERE i.workspace_id = ? ORDER BY i.id", "i", w->a.ws_id),
	    "the database failed reading invitations") == -1 ||
	    section(e, "legal_holds", db_query("SELECT h.id AS id, h.scope AS"
	    " scope, t.number AS ticket_number, h.user_id AS person_id,"
	    " p.name AS person_name, h.reason AS reason, pb.name AS"
	    " placed_by," ISO("h.placed_at") "AS placed_at, lb.name AS"
	    " lifted_by," ISO("h.lifted_at") "AS lifted_at"
	    " FROM legal_holds h LEFT JOIN tickets t ON t.id = h.ticket_id"
	    " LEFT JOIN users p ON p.id = h.user_id"
	    " LEFT JOIN users pb ON pb.id = h.placed_by"
	    " LEFT JOIN users lb ON lb.id = h.lifted_by"
	    " WHERE h.workspace_id = ? ORDER BY h.id", "i", w->a.ws_id),
	    "the database failed reading legal holds") == -1 ||
	    open_array(e, "tickets") == -1 || tickets(e, w, 0) == -1 ||
	    close_array(e) == -1 ||
	    open_array(e, "files") == -1 || files(e, w, 0, 0) == -1 ||
	    close_array(e) == -1 || open_array(e, "audit_log") == -1)
		return -1;
	/* The log grows without bound: pages by id, as its page reads it. */
	do {
		res = db_query("SELECT a.id AS id," ISO("a.created_at") "AS"
		    " created_at, a.action AS action, a.object_type AS"
		    " object_type, a.object_id AS object_id, a.actor_id AS"
		    " actor_id, u.name AS actor_name, u.email AS actor_email,"
		    " a.ip AS ip, a.user_agent AS user_agent FROM audit_log a"
		    " LEFT JOIN users u ON u.id = a.actor_id"
		    " WHERE a.workspace_id = ? AND a.id > ? ORDER BY a.id"
		    " LIMIT ?", "iii", w->a.ws_id, after,
		    (long long)EXPORT_PAGE);
		if (res == NULL)
			return fail(e, "the database failed reading the log");
		n = 0;
		while ((rc = db_next(res)) == 1) {
			n++;
			after = db_int(res, 0);
			if (item(e, db_row_json(res)) == -1) {
				db_free(res);
				return -1;
			}
		}
		db_free(res);
		if (rc == -1)
			return fail(e, "the database failed reading the log");
	} while (n == EXPORT_PAGE);
	if (close_array(e) == -1 || quarantine_ws_rows(e, w->a.ws_id) == -1 ||
	    put(e, "\n}\n") == -1 || files(e, w, 0, 1) == -1)
		return -1;
	return quarantine_entries(e, db_query("SELECT q.id, q.workspace_id,"
	    " q.size" QUARANTINE_WS, "i", w->a.ws_id));
}

int
export_workspace(const struct actor *a, zip_sink sink, void *arg)
{
	struct exp e;
	struct ws w;
	int rc;

	if (a->ws_id == 0 || !actor_can(a, P_SETTINGS))
		return -1;
	memset(&w, 0, sizeof(w));
	w.a = *a;
	snprintf(w.slug, sizeof(w.slug), "%s", a->ws_slug ? a->ws_slug : "");
	rc = begin(&e, a, sink, arg, "workspace");
	e.whole = 1;
	if (rc == 0)
		rc = workspace_body(&e, &w);
	return end(&e, rc, "a workspace export");
}
