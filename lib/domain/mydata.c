#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "mydata.h"
#include "parse.h"
#include "util.h"

#define TIME(col)	"DATE_FORMAT(" col ", '%Y-%m-%d %H:%i:%s')"	/* UTC; {{time x}} */

/* The rows of res as objects (db_row_json), with "browser" in words for
 * the user_agent column ua_col (-1: none), which is not kept. NULL on
 * an error; res is freed either way. */
static struct json_object *
rows(struct dbres *res, int ua_col)
{
	char words[USERAGENT_WORDS];
	struct json_object *list, *o;
	unsigned ua;
	int rc;

	if (res == NULL)
		return NULL;
	list = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		o = db_row_json(res);
		if (ua_col >= 0) {
			ua = (unsigned)ua_col;
			useragent_words(db_str(res, ua), db_len(res, ua),
			    words, sizeof(words));
			json_object_object_del(o, "user_agent");
			json_object_object_add(o, "browser",
			    json_object_new_string(words));
		}
		json_object_array_add(list, o);
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/* Adds list as key and total as key_total; -1 (out untouched) when
 * either failed. */
static int
add_list(struct json_object *out, const char *key, struct json_object *list,
    long long total)
{
	char tkey[48];

	if (list == NULL || total == -1) {
		json_object_put(list);
		return -1;
	}
	json_object_object_add(out, key, list);
	snprintf(tkey, sizeof(tkey), "%s_total", key);
	json_object_object_add(out, tkey, json_object_new_int64(total));
	return 0;
}

static struct json_object *
profile(long long id, char **email)
{
	struct json_object *o = NULL;
	struct dbres *res;
	int rc;

	*email = NULL;
	res = db_query("SELECT name, email,"
	    " email_confirmed_at IS NOT NULL AS confirmed,"
	    " " TIME("created_at") " AS since, lang, time_zone, queue_view"
	    " FROM users WHERE id = ? AND deleted_at IS NULL", "i", id);
	if (res == NULL)
		return NULL;
	if ((rc = db_next(res)) == 1) {
		o = db_row_json(res);
		*email = xstrdup(db_str(res, 1));
	}
	db_free(res);
	return o;
}

static int
workspaces(struct json_object *out, long long id, int n)
{
	return add_list(out, "workspaces", rows(db_query(
	    "SELECT w.name, w.slug, m.role, " TIME("m.created_at") " AS since"
	    " FROM memberships m JOIN workspaces w ON w.id = m.workspace_id"
	    " WHERE m.user_id = ? ORDER BY w.name, w.id LIMIT ?", "ii", id,
	    (long long)n), -1), db_scalar("SELECT COUNT(*) FROM memberships"
	    " WHERE user_id = ?", "i", id));
}

/* Sign-ins are the audit rows the sign-in form writes for the account
 * (cgi-bin/auth.c), with the address and browser they came from. */
static int
signins(struct json_object *out, long long id, int n)
{
	return add_list(out, "signins", rows(db_query(
	    "SELECT " TIME("created_at") " AS time, ip, user_agent"
	    " FROM audit_log WHERE actor_id = ? AND action = 'user.signin'"
	    " ORDER BY id DESC LIMIT ?", "ii", id, (long long)n), 2),
	    db_scalar("SELECT COUNT(*) FROM audit_log WHERE actor_id = ?"
	    " AND action = 'user.signin'", "i", id));
}

/* Failed sign-ins against the account: the audit rows the sign-in form
 * writes naming it (cgi-bin/auth.c), with the address and browser the
 * attempt came from; the audit_object index finds them. */
static int
failed_signins(struct json_object *out, long long id, int n)
{
	return add_list(out, "failed_signins", rows(db_query(
	    "SELECT " TIME("created_at") " AS time, ip, user_agent"
	    " FROM audit_log WHERE object_type = 'user' AND object_id = ?"
	    " AND action = 'user.signin_failed'"
	    " ORDER BY id DESC LIMIT ?", "ii", id, (long long)n), 2),
	    db_scalar("SELECT COUNT(*) FROM audit_log WHERE object_type ="
	    " 'user' AND object_id = ? AND action = 'user.signin_failed'",
	    "i", id));
}

/* Failures are kept by the address typed (lib/domain/throttle.c), which
 * the sign-in form lower-cases as accounts' addresses are stored. */
static int
failures(struct json_object *out, const char *email, int n)
{
	return add_list(out, "failures", rows(db_query(
	    "SELECT " TIME("created_at") " AS time, ip FROM signin_failures"
	    " WHERE email = ? ORDER BY created_at DESC, id DESC LIMIT ?",
	    "si", email, (long long)n), -1), db_scalar("SELECT COUNT(*)"
	    " FROM signin_failures WHERE email = ?", "s", email));
}

static int
consents(struct json_object *out, long long id, int n)
{
	return add_list(out, "consents", rows(db_query(
	    "SELECT purpose, granted, policy_version,"
	    " " TIME("created_at") " AS time FROM consents WHERE user_id = ?"
	    " ORDER BY id DESC LIMIT ?", "ii", id, (long long)n), -1),
	    db_scalar("SELECT COUNT(*) FROM consents WHERE user_id = ?", "i",
	    id));
}

/* The versions of the privacy policy accepted at sign-up or shown as
 * a notice of change (sql/012-privacy.sql). */
static int
policy(struct json_object *out, long long id, int n)
{
	return add_list(out, "policy", rows(db_query(
	    "SELECT version, how, " TIME("created_at") " AS time"
	    " FROM policy_acks WHERE user_id = ?"
	    " ORDER BY created_at DESC, version DESC LIMIT ?", "ii", id,
	    (long long)n), -1), db_scalar("SELECT COUNT(*) FROM policy_acks"
	    " WHERE user_id = ?", "i", id));
}

/* Invitations sent to the address, accepted or not: a workspace's admin
 * wrote it there. */
static int
invitations(struct json_object *out, const char *email, int n)
{
	return add_list(out, "invitations", rows(db_query(
	    "SELECT w.name AS workspace, i.role,"
	    " " TIME("i.created_at") " AS time,"
	    " CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted'"
	    " WHEN i.expires_at < UTC_TIMESTAMP() THEN 'expired'"
	    " ELSE 'open' END AS state"
	    " FROM invitations i JOIN workspaces w ON w.id = i.workspace_id"
	    " WHERE i.email = ? ORDER BY i.id DESC LIMIT ?", "si", email,
	    (long long)n), -1), db_scalar("SELECT COUNT(*) FROM invitations"
	    " WHERE email = ?", "s", email));
}

/* The mail we keep that was sent, or is to be sent, to the address. */
static int
mails(struct json_object *out, const char *email, int n)
{
	return add_list(out, "mails", rows(db_query(
	    "SELECT " TIME("created_at") " AS time, subject,"
	    " CASE WHEN sent_at IS NOT NULL THEN 'sent'"
	    " WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'waiting' END"
	    " AS state FROM outbox WHERE to_addr = ?"
	    " ORDER BY id DESC LIMIT ?", "si", email, (long long)n), -1),
	    db_scalar("SELECT COUNT(*) FROM outbox WHERE to_addr = ?", "s",
	    email));
}

/* Mail they sent that waits in a quarantine (quarantine.h): by their
 * account, or from their address. */
#define QUARANTINED \
	" FROM mail_quarantine q LEFT JOIN workspaces w ON" \
	" w.id = q.workspace_id WHERE q.sender_id = ? OR q.from_addr = ?"

static int
quarantined(struct json_object *out, long long id, const char *email, int n)
{
	return add_list(out, "quarantined", rows(db_query(
	    "SELECT " TIME("q.created_at") " AS time, q.subject AS subject,"
	    " w.name AS workspace" QUARANTINED " ORDER BY q.id DESC LIMIT ?",
	    "isi", id, email, (long long)n), -1), db_scalar("SELECT COUNT(*)"
	    QUARANTINED, "is", id, email));
}

/* A new address waiting for its link to be opened (issue 9): the
 * newest unused, unexpired confirmation for another address. */
static int
pending_email(struct json_object *p, long long id, const char *email)
{
	struct dbres *res;
	int rc;

	res = db_query("SELECT email, " TIME("expires_at") " FROM account_tokens"
	    " WHERE user_id = ? AND kind = 'confirm' AND used_at IS NULL"
	    " AND expires_at > UTC_TIMESTAMP() AND email <> ?"
	    " ORDER BY id DESC LIMIT 1", "is", id, email);
	if (res == NULL)
		return -1;
	if ((rc = db_next(res)) == 1) {
		json_object_object_add(p, "pending_email",
		    json_object_new_string(db_str(res, 0)));
		json_object_object_add(p, "pending_until",
		    json_object_new_string(db_str(res, 1)));
	}
	db_free(res);
	return rc == -1 ? -1 : 0;
}

/* What the person wrote, in every workspace (sql/013-access.sql gives
 * each count an index of its own). */
static int
counts(struct json_object *out, long long id)
{
	struct json_object *c;
	long long t, r, no, f;

	t = db_scalar("SELECT COUNT(*) FROM tickets WHERE requester_id = ?",
	    "i", id);
	r = db_scalar("SELECT COUNT(*) FROM comments WHERE author_id = ?"
	    " AND internal = 0", "i", id);
	no = db_scalar("SELECT COUNT(*) FROM comments WHERE author_id = ?"
	    " AND internal = 1", "i", id);
	f = db_scalar("SELECT COUNT(*) FROM attachments WHERE uploader_id = ?",
	    "i", id);
	if (t == -1 || r == -1 || no == -1 || f == -1)
		return -1;
	c = json_object_new_object();
	json_object_object_add(c, "tickets", json_object_new_int64(t));
	json_object_object_add(c, "replies", json_object_new_int64(r));
	json_object_object_add(c, "notes", json_object_new_int64(no));
	json_object_object_add(c, "files", json_object_new_int64(f));
	json_object_object_add(out, "counts", c);
	return 0;
}

struct json_object *
mydata_load(const struct actor *a, int n)
{
	struct json_object *out, *p;
	char *email;

	if ((p = profile(a->user_id, &email)) == NULL)
		return NULL;
	out = json_object_new_object();
	json_object_object_add(out, "profile", p);
	if (pending_email(p, a->user_id, email) == -1 ||
	    workspaces(out, a->user_id, n) == -1 ||
	    signins(out, a->user_id, n) == -1 ||
	    failures(out, email, n) == -1 ||
	    failed_signins(out, a->user_id, n) == -1 ||
	    consents(out, a->user_id, n) == -1 ||
	    policy(out, a->user_id, n) == -1 ||
	    invitations(out, email, n) == -1 ||
	    mails(out, email, n) == -1 ||
	    quarantined(out, a->user_id, email, n) == -1 ||
	    counts(out, a->user_id) == -1) {
		json_object_put(out);
		out = NULL;
	}
	free(email);
	return out;
}
