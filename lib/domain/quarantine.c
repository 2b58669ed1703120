/*
 * quarantine: the admins' view of mail that could not be read or
 * routed, and what they do with it (quarantine.h). Every query of a
 * workspace's messages names the actor's workspace, so an id of another
 * workspace, or of none, reads as one that never existed.
 */
#include <stdlib.h>
#include <string.h>

#include "attachments.h"
#include "audit.h"
#include "buf.h"
#include "db.h"
#include "log.h"
#include "mailtext.h"
#include "quarantine.h"
#include "tickets.h"
#include "mime.h"
#include "upload.h"
#include "users.h"
#include "util.h"
#include "workspaces.h"

/* What a release says of a message that could not be read (Markdown). */
#define UNREAD_BODY \
	"This message could not be read. The original, exactly as it " \
	"arrived, is attached as " QUARANTINE_FILENAME "."
/* A subject for a message without one (tickets need one). */
#define NO_SUBJECT	"(no subject)"
/* Ticket subjects and account names are at most this many characters
 * (tickets.subject, users.name). */
#define SUBJECT_MAX	200
#define NAME_MAX_CHARS	100

/* The columns every view shows, in this order (row_json below). */
#define LIST_COLS \
	" q.id, DATE_FORMAT(q.created_at, '%Y-%m-%d %H:%i:%s') AS received," \
	" q.from_addr, q.from_name, q.subject, q.reason, q.reason_code," \
	" q.size"
#define DETAIL_COLS \
	LIST_COLS ", q.message_id, q.body_text, q.reply_len, q.body_html"

/* A row of LIST_COLS (and DETAIL_COLS' first columns) as an object. */
static struct json_object *
row_json(const struct dbres *res)
{
	static const char *const keys[] = { "received", "from_addr",
	    "from_name", "subject", "reason", "reason_code" };
	struct json_object *o = json_object_new_object();
	char size[32];
	size_t i;

	json_object_object_add(o, "id", json_object_new_int64(db_int(res, 0)));
	for (i = 0; i < nitems(keys); i++)
		json_object_object_add(o, keys[i], json_object_new_string(
		    db_str(res, (unsigned)i + 1) ? db_str(res,
		    (unsigned)i + 1) : ""));
	json_object_object_add(o, "size", json_object_new_int64(db_int(res,
	    7)));
	size_label(db_int(res, 7), size, sizeof(size));
	json_object_object_add(o, "size_label", json_object_new_string(size));
	return o;
}

/* Every row of res (LIST_COLS) as an array, at most n when n > 0, with
 * *next the last id when there is one more; res is freed. NULL on an
 * error. */
static struct json_object *
rows_json(struct dbres *res, long long n, long long *next)
{
	struct json_object *list;
	long long got = 0, last = 0;
	int rc;

	if (next)
		*next = 0;
	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		if (n > 0 && got == n) {
			if (next)
				*next = last;
			continue;
		}
		last = db_int(res, 0);
		json_object_array_add(list, row_json(res));
		got++;
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

struct json_object *
quarantine_list(const struct actor *a, long long before, long long *next)
{
	*next = 0;
	if (!actor_can(a, P_SETTINGS))
		return NULL;
	return rows_json(db_query("SELECT" LIST_COLS " FROM mail_quarantine q"
	    " WHERE q.workspace_id = ? AND q.id < ? ORDER BY q.id DESC"
	    " LIMIT ?", "iii", a->ws_id, before,
	    (long long)QUARANTINE_PAGE + 1), QUARANTINE_PAGE, next);
}

long long
quarantine_count(const struct actor *a)
{
	if (!actor_can(a, P_SETTINGS))
		return -1;
	return db_scalar("SELECT COUNT(*) FROM mail_quarantine"
	    " WHERE workspace_id = ?", "i", a->ws_id);
}

/* The body of a DETAIL_COLS row as it is shown. */
static void
body_json(struct json_object *o, const struct dbres *res)
{
	char *html;

	if (db_str(res, 11) != NULL) {
		/* Sanitised by mailin through the allow-list (htmlsan.h). */
		json_object_object_add(o, "body",
		    json_object_new_string(db_str(res, 11)));
		json_object_object_add(o, "body_kind",
		    json_object_new_string("html"));
	} else if (db_str(res, 9) != NULL) {
		html = mailtext_html(db_str(res, 9), (size_t)db_int(res, 10));
		json_object_object_add(o, "body",
		    json_object_new_string(html));
		json_object_object_add(o, "body_kind",
		    json_object_new_string("text"));
		free(html);
	}
}

/*
 * Who a release makes the requester of a message from address from
 * (quarantine_release): *uid the live account with that address (0 when
 * none), *member whether it is a member of the actor's workspace, and
 * its name into *name (caller frees) when it is. OK, E_DB.
 */
static enum outcome
sender_of(const struct actor *a, const char *from, long long *uid,
    int *member, char **name)
{
	struct dbres *res;
	int rc;

	*uid = 0;
	*member = 0;
	if (name)
		*name = NULL;
	if (from == NULL || *from == '\0')
		return OK;
	if ((res = db_query("SELECT u.id, u.name, m.user_id IS NOT NULL"
	    " FROM users u LEFT JOIN memberships m ON m.user_id = u.id AND"
	    " m.workspace_id = ? WHERE u.email = ? AND u.deleted_at IS NULL",
	    "is", a->ws_id, from)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		*uid = db_int(res, 0);
		*member = db_int(res, 2) != 0;
		if (name && *member)
			*name = xstrdup(db_str(res, 1));
	}
	db_free(res);
	return rc == -1 ? db_error() : OK;
}

/* Who a release would make the requester, into o (quarantine_load). */
static enum outcome
sender_json(const struct actor *a, struct json_object *o, const char *from)
{
	struct json_object *m;
	enum outcome rc;
	long long uid;
	char *name;
	int member;

	if ((rc = sender_of(a, from, &uid, &member, &name)) != OK)
		return rc;
	if (member) {
		m = json_object_new_object();
		json_object_object_add(m, "id", json_object_new_int64(uid));
		json_object_object_add(m, "name",
		    json_object_new_string(name));
		json_object_object_add(m, "email",
		    json_object_new_string(from));
		json_object_object_add(o, "requester", m);
	} else if (uid == 0 && from != NULL && mime_addr_ok(from))
		json_object_object_add(o, "new_requester",
		    json_object_new_string(from));
	free(name);
	return OK;
}

/* One DETAIL_COLS row of res (freed) as *out. */
static enum outcome
detail(struct dbres *res, struct json_object **out)
{
	int rc;

	*out = NULL;
	if (res == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		*out = row_json(res);
		json_object_object_add(*out, "message_id",
		    json_object_new_string(db_str(res, 8)));
		body_json(*out, res);
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

enum outcome
quarantine_load(const struct actor *a, long long id, struct json_object **out)
{
	struct json_object *v;
	enum outcome rc;

	*out = NULL;
	if (!actor_can(a, P_SETTINGS))
		return E_NOT_FOUND;
	if ((rc = detail(db_query("SELECT" DETAIL_COLS " FROM mail_quarantine q"
	    " WHERE q.id = ? AND q.workspace_id = ?", "ii", id, a->ws_id),
	    out)) != OK)
		return rc;
	json_object_object_get_ex(*out, "from_addr", &v);
	if ((rc = sender_json(a, *out, json_object_get_string(v))) != OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

enum outcome
quarantine_size(const struct actor *a, long long id, long long *size)
{
	*size = -1;
	if (!actor_can(a, P_SETTINGS))
		return E_NOT_FOUND;
	*size = db_scalar("SELECT size FROM mail_quarantine"
	    " WHERE id = ? AND workspace_id = ?", "ii", id, a->ws_id);
	if (*size < 0)
		return db_failed() ? db_error() : E_NOT_FOUND;
	return OK;
}

int
quarantine_send(long long ws_id, long long id, long long size,
    int (*write)(void *arg, const void *p, size_t n), void *arg)
{
	struct dbres *res;
	long long seq, sent = 0;
	size_t n;
	int got = 0;

	/* The chunks of a message of ws_id (of none for ws_id < 0) only. */
	for (seq = 0; sent < size; seq++) {
		if ((res = db_query("SELECT c.data FROM"
		    " mail_quarantine_chunks c JOIN mail_quarantine q ON"
		    " q.id = c.quarantine_id WHERE c.quarantine_id = ? AND"
		    " c.seq = ? AND (q.workspace_id = ? OR (? < 0 AND"
		    " q.workspace_id IS NULL))", "iiii", id, seq, ws_id,
		    ws_id)) == NULL ||
		    (got = db_next(res)) != 1 || (n = db_len(res, 0)) == 0 ||
		    (long long)n > size - sent) {
			log_err("quarantine %lld: chunk %lld %s; sent %lld of "
			    "%lld bytes", id, seq, res == NULL || got == -1 ?
			    "unreadable" : "missing or too long", sent, size);
			db_free(res);
			return -1;
		}
		if (write(arg, db_str(res, 0), n) == -1) {
			db_free(res);
			return -1;
		}
		sent += (long long)n;
		db_free(res);
	}
	return 0;
}

/* quarantine_send's writer into a buffer. */
static int
buf_write(void *arg, const void *p, size_t n)
{
	buf_add(arg, p, n);
	return 0;
}

/* What a release needs of a message, read under a lock. */
struct msg {
	char		*from_addr;
	char		*from_name;
	char		*subject;
	char		*text;		/* NULL: could not be read */
	size_t		 reply_len;
	char		*html;
	long long	 size;
};

static void
msg_clear(struct msg *m)
{
	free(m->from_addr);
	free(m->from_name);
	free(m->subject);
	free(m->text);
	free(m->html);
	memset(m, 0, sizeof(*m));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The message id of the actor's workspace, locked for the transaction. */
static enum outcome
msg_lock(const struct actor *a, long long id, struct msg *m)
{
	struct dbres *res;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((res = db_query("SELECT subject, body_text, reply_len, body_html,"
	    " size, from_addr, from_name FROM mail_quarantine WHERE id = ?"
	    " AND workspace_id = ? FOR UPDATE", "ii", id, a->ws_id)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		m->subject = xstrdup(db_str(res, 0));
		m->text = dup_or_null(db_str(res, 1));
		m->reply_len = (size_t)db_int(res, 2);
		m->html = dup_or_null(db_str(res, 3));
		m->size = db_int(res, 4);
		m->from_addr = xstrdup(db_str(res, 5));
		m->from_name = xstrdup(db_str(res, 6));
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/* Text of a mail for a one-line field: controls made spaces, within
 * max characters (cut on a character boundary), never empty (fallback
 * when nothing is left). */
static char *
one_line(const char *s, size_t max, const char *fallback)
{
	size_t i, chars = 0, end;
	char *out;

	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
	end = i;
	out = xmalloc(end + 1);
	memcpy(out, s, end);
	out[end] = '\0';
	for (i = 0; i < end; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	while (end > 0 && out[end - 1] == ' ')
		out[--end] = '\0';
	if (end == 0) {
		free(out);
		out = xstrdup(fallback);
	}
	return out;
}

/* The ticket of m, for requester_id: *num and *tid. */
static enum outcome
release_ticket(const struct actor *a, const struct msg *m,
    long long requester_id, long long *num, long long *tid)
{
	struct body b;
	enum outcome rc;
	char *subject;

	memset(&b, 0, sizeof(b));
	if (m->text == NULL) {
		b.format = BODY_MARKDOWN;
		b.text = UNREAD_BODY;
	} else if (m->html != NULL) {
		b.format = BODY_MAIL_HTML;
		b.text = m->text;
		b.html = m->html;
	} else {
		b.format = BODY_MAIL_TEXT;
		b.text = m->text;
		b.reply_len = m->reply_len;
	}
	subject = one_line(m->subject, SUBJECT_MAX, NO_SUBJECT);
	rc = ticket_create_body(a, subject, &b, requester_id, num, tid);
	free(subject);
	return rc;
}

/*
 * The requester of m's ticket (quarantine_release): *uid. A new account
 * is named by the sender's display name, else the address's local part.
 */
static enum outcome
release_requester(const struct actor *a, const struct msg *m,
    long long *uid)
{
	enum outcome rc;
	char *name;
	size_t at;
	int member;

	if ((rc = sender_of(a, m->from_addr, uid, &member, NULL)) != OK)
		return rc;
	if (member)
		return OK;
	if (*uid != 0 || !mime_addr_ok(m->from_addr)) {
		*uid = a->user_id;
		return OK;
	}
	at = strcspn(m->from_addr, "@");
	if (strspn(m->from_name, " \t") < strlen(m->from_name))
		name = one_line(m->from_name, NAME_MAX_CHARS, "Mail sender");
	else
		name = one_line(m->from_addr, at < NAME_MAX_CHARS ? at :
		    NAME_MAX_CHARS, "Mail sender");
	rc = user_create_unclaimed(name, m->from_addr, uid);
	free(name);
	if (rc == E_TAKEN)	/* made meanwhile: a retry decides again */
		rc = E_DB;
	if (rc == OK && (rc = member_add(a->ws_id, *uid, ROLE_REQUESTER)) ==
	    OK)
		rc = audit(a, a->ws_id, 0, "quarantine.requester", "user",
		    *uid);
	return rc == E_TAKEN ? E_DB : rc;
}

enum outcome
quarantine_release(const struct actor *a, long long id, long long *number)
{
	struct buf raw = BUF_INIT;
	struct upload up;
	struct uploads ups;
	struct msg m;
	enum outcome rc;
	long long tid = 0, requester_id;

	*number = 0;
	if (!actor_can(a, P_SETTINGS))
		return E_NOT_FOUND;

	if ((rc = msg_lock(a, id, &m)) != OK)
		return rc;
	if ((rc = release_requester(a, &m, &requester_id)) != OK)
		goto out;
	/*
	 * The original is read whole: attachments_save takes the file's
	 * bytes, and a message is bounded by what the MTA accepts
	 * (message_size_limit, INSTALL), like an upload by the form's.
	 */
	if (quarantine_send(a->ws_id, id, m.size, buf_write, &raw) == -1) {
		rc = E_DB;
		goto out;
	}
	if ((rc = release_ticket(a, &m, requester_id, number, &tid)) != OK)
		goto out;
	up.name = QUARANTINE_FILENAME;
	up.data = raw.len ? raw.data : "";
	up.len = raw.len;
	memset(&ups, 0, sizeof(ups));
	ups.v = &up;
	ups.n = 1;
	if ((rc = attachments_save(a, &ups, tid, 0)) != OK)
		goto out;
	/* mail_seen keeps the Message-ID, now naming the ticket. */
	if (db_exec("UPDATE mail_seen SET outcome = 'ticket', ticket_id = ?,"
	    " quarantine_id = NULL WHERE quarantine_id = ?", "ii", tid,
	    id) == -1 ||
	    db_exec("DELETE FROM mail_quarantine WHERE id = ? AND"
	    " workspace_id = ?", "ii", id, a->ws_id) != 1) {
		rc = db_error();
		goto out;
	}
	rc = audit(a, a->ws_id, 0, "quarantine.release", "ticket", tid);
out:
	buf_free(&raw);
	msg_clear(&m);
	return rc;
}

/* Deletes message id of workspace ws_id (of none for ws_id < 0). */
static enum outcome
delete_one(const struct actor *a, long long ws_id, long long id)
{
	long long n;

	if (db_exec("UPDATE mail_seen SET quarantine_id = NULL"
	    " WHERE quarantine_id = ?", "i", id) == -1)
		return db_error();
	/* Its chunks go by ON DELETE CASCADE (sql/021-mail-in.sql). */
	if (ws_id < 0)
		n = db_exec("DELETE FROM mail_quarantine WHERE id = ?"
		    " AND workspace_id IS NULL", "i", id);
	else
		n = db_exec("DELETE FROM mail_quarantine WHERE id = ?"
		    " AND workspace_id = ?", "ii", id, ws_id);
	if (n == -1)
		return db_error();
	if (n == 0)
		return E_NOT_FOUND;
	return audit(a, ws_id < 0 ? 0 : ws_id, 0, "quarantine.delete",
	    "quarantine", id);
}

enum outcome
quarantine_delete(const struct actor *a, long long id)
{
	if (!actor_can(a, P_SETTINGS))
		return E_NOT_FOUND;
	return delete_one(a, a->ws_id, id);
}

struct json_object *
quarantine_site_list(void)
{
	return rows_json(db_query("SELECT" LIST_COLS " FROM mail_quarantine q"
	    " WHERE q.workspace_id IS NULL ORDER BY q.id", ""), 0, NULL);
}

enum outcome
quarantine_site_load(long long id, struct json_object **out)
{
	return detail(db_query("SELECT" DETAIL_COLS " FROM mail_quarantine q"
	    " WHERE q.id = ? AND q.workspace_id IS NULL", "i", id), out);
}

enum outcome
quarantine_site_delete(const struct actor *a, long long id)
{
	return delete_one(a, -1, id);
}
