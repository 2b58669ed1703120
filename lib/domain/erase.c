/*
 * erase: deleting an account, erasing a requester from a workspace,
 * deleting a workspace. See erase.h.
 *
 * Statements that serve both a whole account and one workspace take the
 * workspace as "(? = 0 OR x.workspace_id = ?)": 0 is every workspace.
 * Everything runs in the caller's transaction, in one go: an account
 * with very many rows makes one long transaction (bounded batches would
 * need a resumable job; docs/decisions.md, "Erasure").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "erase.h"
#include "twofactor.h"
#include "holds.h"
#include "log.h"
#include "ratelimit.h"
#include "searchidx.h"
#include "util.h"

/* The address of an erased account: no '@', so no form (F_EMAIL) can
 * give it to anyone, and no mail can go to it. */
#define ERASED_EMAIL_FMT	"deleted-%lld.invalid"
/* The account that holds what a requester erased from one workspace
 * wrote, when their account lives on elsewhere. */
#define PLACEHOLDER_EMAIL	"deleted.invalid"

/* The kinds of mail limiter keys that hold an address (ratelimit.h). */
static const char *const rate_kinds[] = { "reset", "confirm", "delete" };

#define EXEC(...)	do { if (db_exec(__VA_ARGS__) == -1) \
	return db_error(); } while (0)

/*
 * The erasure's own audit row: who acted (their id; for one's own
 * account the id of what is now "Deleted user") and on what, with no
 * client address or browser.
 */
static enum outcome
audit_blank(const struct actor *a, long long ws, const char *action,
    const char *type, long long id)
{
	struct actor b = *a;

	b.addr = "";
	b.agent = NULL;
	b.system = "erasure";
	return audit(&b, ws, 0, action, type, id);
}

/* user_id's workspaces where they are an admin, with how many others are
 * members and admins: the rows of erase_plan. */
#define PLAN_SQL \
	"SELECT w.id, w.slug, w.name," \
	" (SELECT COUNT(*) FROM memberships o WHERE o.workspace_id = w.id" \
	"  AND o.user_id <> m.user_id)," \
	" (SELECT COUNT(*) FROM memberships o WHERE o.workspace_id = w.id" \
	"  AND o.user_id <> m.user_id AND o.role = ?" \
	"  AND o.suspended_at IS NULL)," \
	" EXISTS (SELECT 1 FROM legal_holds h WHERE h.workspace_id = w.id" \
	"  AND h.lifted_at IS NULL)" \
	" FROM memberships m JOIN workspaces w ON w.id = m.workspace_id" \
	" WHERE m.user_id = ? AND m.role = ? ORDER BY w.name, w.id"

static struct json_object *
ws_item(const struct dbres *res)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(db_int(res, 0)));
	json_object_object_add(o, "slug", json_object_new_string(db_str(res,
	    1)));
	json_object_object_add(o, "name", json_object_new_string(db_str(res,
	    2)));
	return o;
}

static enum outcome
plan(long long uid, int lock, struct json_object **blocked,
    struct json_object **solo)
{
	const char *admin = role_name(ROLE_ADMIN);
	struct dbres *res;
	int rc;

	*blocked = *solo = NULL;
	if (lock)
		res = db_query(PLAN_SQL " FOR UPDATE", "sis", admin, uid, admin);
	else
		res = db_query(PLAN_SQL, "sis", admin, uid, admin);
	if (res == NULL)
		return db_error();
	*blocked = json_object_new_array();
	*solo = json_object_new_array();
	while ((rc = db_next(res)) == 1) {
		if (db_int(res, 3) == 0) {
			/* A workspace under a hold is not deleted: it stays,
			 * without members, until the hold is lifted. */
			if (db_int(res, 5) == 0)
				json_object_array_add(*solo, ws_item(res));
		}
		else if (db_int(res, 4) == 0)
			json_object_array_add(*blocked, ws_item(res));
	}
	db_free(res);
	if (rc == -1) {
		json_object_put(*blocked);
		json_object_put(*solo);
		*blocked = *solo = NULL;
		return db_error();
	}
	return OK;
}

enum outcome
erase_plan(long long user_id, struct json_object **blocked,
    struct json_object **solo)
{
	return plan(user_id, 0, blocked, solo);
}

/*
 * The search index of the tickets whose text erase_text replaced (the
 * same conditions), rewritten from their rows: the old words must not
 * find the erased text.
 */
static enum outcome
erase_index(long long uid, long long ws)
{
	struct dbres *res;
	long long *ids = NULL, n = 0, cap = 0, i;
	enum outcome rc = OK;
	int more;

	if ((res = db_query("SELECT t.id FROM tickets t JOIN workspaces w"
	    " ON w.id = t.workspace_id WHERE t.requester_id = ?"
	    " AND w.erase_text = 1 AND (? = 0 OR t.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("t.workspace_id", "t.id") " UNION"
	    " SELECT c.ticket_id FROM comments c JOIN workspaces w"
	    " ON w.id = c.workspace_id WHERE c.author_id = ?"
	    " AND w.erase_text = 1 AND (? = 0 OR c.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("c.workspace_id", "c.ticket_id"), "iiiiiiii",
	    uid, ws, ws, uid, uid, ws, ws, uid)) == NULL)
		return db_error();
	while ((more = db_next(res)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, (size_t)cap * sizeof(*ids));
		}
		ids[n++] = db_int(res, 0);
	}
	db_free(res);
	if (more == -1)
		rc = db_error();
	for (i = 0; i < n && rc == OK; i++)
		rc = searchidx_ticket(ids[i]);
	free(ids);
	return rc;
}

/*
 * The text of uid in workspace ws (0: all), where the workspace's
 * erase_text says to replace it. body_html NULL renders the new text when
 * shown (sql/005).
 */
static enum outcome
erase_text(long long uid, long long ws)
{
	EXEC("UPDATE tickets t JOIN workspaces w ON w.id = t.workspace_id"
	    " SET t.subject = ?, t.body = ?, t.body_html = NULL"
	    " WHERE t.requester_id = ? AND w.erase_text = 1"
	    " AND (? = 0 OR t.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("t.workspace_id", "t.id"), "ssiiii",
	    ERASED_TEXT, ERASED_TEXT, uid, ws, ws, uid);
	EXEC("UPDATE comments c JOIN workspaces w ON w.id = c.workspace_id"
	    " SET c.body = ?, c.body_html = NULL"
	    " WHERE c.author_id = ? AND w.erase_text = 1"
	    " AND (? = 0 OR c.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("c.workspace_id", "c.ticket_id"), "siiii",
	    ERASED_TEXT, uid, ws, ws, uid);
	return erase_index(uid, ws);
}

/*
 * The files uid uploaded in ws (0: all): contents that no other
 * attachment of the workspace shares are deleted (chunks and blob rows);
 * each of uid's attachment rows keeps its place in the thread but loses
 * its name and points at no content (the all-zero hash, which no blob
 * has), so the page says the file was removed and a download is 404.
 * The uploader becomes to (the account's own id, or the placeholder).
 */
static enum outcome
erase_files(long long uid, long long ws, long long to)
{
	static const unsigned char zero[32];

#define UNSHARED(T) \
	" JOIN attachments x ON x.workspace_id = " T ".workspace_id" \
	" AND x.sha256 = " T ".sha256" \
	" WHERE x.uploader_id = ? AND (? = 0 OR x.workspace_id = ?)" \
	" AND NOT" HOLD_KEEPS("x.workspace_id", "x.ticket_id") \
	" AND NOT EXISTS (SELECT 1 FROM attachments y" \
	" WHERE y.workspace_id = " T ".workspace_id" \
	" AND y.sha256 = " T ".sha256" \
	" AND (y.uploader_id IS NULL OR y.uploader_id <> ? OR" \
	HOLD_KEEPS("y.workspace_id", "y.ticket_id") "))"
	/* A file under a hold counts as shared: its content stays. */
	EXEC("DELETE c FROM blob_chunks c" UNSHARED("c"), "iiiiii", uid, ws,
	    ws, uid, uid, uid);
	EXEC("DELETE b FROM blobs b" UNSHARED("b"), "iiiiii", uid, ws, ws,
	    uid, uid, uid);
#undef UNSHARED
	EXEC("UPDATE attachments a SET a.filename = 'removed', a.size = 0,"
	    " a.content_type = 'application/octet-stream', a.sha256 = ?,"
	    " a.uploader_id = ? WHERE a.uploader_id = ?"
	    " AND (? = 0 OR a.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("a.workspace_id", "a.ticket_id"), "biiiii",
	    zero, sizeof(zero), to, uid, ws, ws, uid);
	return OK;
}

/*
 * uid's name and address inside ticket history of ws (0: all): an
 * assignee value that is their name, and their address in a list of
 * people copied (compared whole between commas, so a longer address that
 * contains it is left alone).
 */
static enum outcome
erase_history(long long ws, long long uid, const char *name,
    const char *email)
{
#define CC_SWAP(C) "TRIM(BOTH ',' FROM REPLACE(CONCAT(',', " C ", ','),"  \
	" CONCAT(',', ?, ','), CONCAT(',', ?, ',')))"
	EXEC("UPDATE ticket_events SET old_value = " CC_SWAP("old_value") ","
	    " new_value = " CC_SWAP("new_value") " WHERE field = 'cc'"
	    " AND (LOCATE(?, old_value) > 0 OR LOCATE(?, new_value) > 0)"
	    " AND (? = 0 OR workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("ticket_events.workspace_id",
	    "ticket_events.ticket_id"), "ssssssiii", email, ERASED_NAME,
	    email, ERASED_NAME, email, email, ws, ws, uid);
#undef CC_SWAP
	EXEC("UPDATE ticket_events SET"
	    " old_value = IF(old_value = ?, ?, old_value),"
	    " new_value = IF(new_value = ?, ?, new_value)"
	    " WHERE field = 'assignee' AND (old_value = ? OR new_value = ?)"
	    " AND (? = 0 OR workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("ticket_events.workspace_id",
	    "ticket_events.ticket_id"), "ssssssiii", name, ERASED_NAME, name,
	    ERASED_NAME, name, name, ws, ws, uid);
	return OK;
}

/*
 * Mail of ws (0: all, with mail about accounts) to address, or whose
 * message holds the address or the name, sent or not: a message names its
 * recipient and quotes what was written. A name shorter than 4
 * characters is not searched for (it would match other people's mail).
 */
static enum outcome
erase_mail(long long ws, const char *name, const char *email)
{
	const char *nm = name != NULL && strlen(name) >= 4 ? name : NULL;

	EXEC("DELETE FROM outbox WHERE (to_addr = ? OR LOCATE(?, message) > 0"
	    " OR LOCATE(?, message) > 0) AND (? = 0 OR workspace_id = ?)",
	    "sssii", email, email, nm, ws, ws);
	return OK;
}

/*
 * The quarantined mail uid sent (sender_id), or that came from email,
 * in workspace ws (0: every one, and mail of none), but for what a hold
 * of theirs or of its workspace keeps. Its bytes go with it (ON DELETE
 * CASCADE); mail_seen keeps only the hash of its Message-ID, now
 * pointing at nothing (docs/decisions.md, "Quarantine").
 */
static enum outcome
erase_quarantine(long long uid, long long ws, const char *email)
{
	EXEC("UPDATE mail_seen s JOIN mail_quarantine q ON"
	    " q.id = s.quarantine_id SET s.quarantine_id = NULL"
	    " WHERE (q.sender_id = ? OR q.from_addr = ?)"
	    " AND (? = 0 OR q.workspace_id = ?)"
	    " AND NOT" HOLD_KEEPS("q.workspace_id", "NULL"), "isiii", uid,
	    email, ws, ws, uid);
	EXEC("DELETE FROM mail_quarantine WHERE (sender_id = ? OR"
	    " from_addr = ?) AND (? = 0 OR workspace_id = ?) AND NOT"
	    HOLD_KEEPS("mail_quarantine.workspace_id", "NULL"), "isiii", uid,
	    email, ws, ws, uid);
	return OK;
}

/* Everything kept under one address (the account's, or one it asked to
 * change to): failed sign-ins (and their audit rows' address and
 * browser), invitations, limiter keys and mail. */
static enum outcome
erase_address(const char *name, const char *email)
{
	unsigned char h[32];
	char key[400];
	enum outcome rc;
	size_t i;

	/* A failed sign-in's audit row names the account targeted since
	 * issue 11 (erase_rows blanks those); an older one names none: it
	 * is the one written from the same address within a second. */
	EXEC("UPDATE audit_log a JOIN signin_failures f ON f.ip = a.ip"
	    " AND a.created_at BETWEEN f.created_at - INTERVAL 1 SECOND"
	    " AND f.created_at + INTERVAL 1 SECOND"
	    " SET a.ip = '', a.user_agent = ''"
	    " WHERE f.email = ? AND a.action = 'user.signin_failed'", "s",
	    email);
	EXEC("DELETE FROM signin_failures WHERE email = ?", "s", email);
	EXEC("DELETE FROM invitations WHERE email = ?", "s", email);
	EXEC("UPDATE workspaces SET new_ticket_mail = NULL"
	    " WHERE new_ticket_mail = ?", "s", email);
	for (i = 0; i < nitems(rate_kinds); i++) {
		if ((size_t)snprintf(key, sizeof(key), "%s:address:%s",
		    rate_kinds[i], email) >= sizeof(key))
			continue;
		sha256(key, strlen(key), h);
		EXEC("DELETE FROM rate_counts WHERE key_hash = ?", "b", h,
		    sizeof(h));
	}
	if ((rc = erase_mail(0, name, email)) != OK)
		return rc;
	return OK;
}

/* The addresses user_id's links were sent to (a new address not yet
 * confirmed is one): OK with *list (caller puts), E_DB. */
static enum outcome
token_addresses(long long uid, struct json_object **list)
{
	struct dbres *res;
	int rc;

	*list = NULL;
	if ((res = db_query("SELECT DISTINCT email FROM account_tokens"
	    " WHERE user_id = ?", "i", uid)) == NULL)
		return db_error();
	*list = json_object_new_array();
	while ((rc = db_next(res)) == 1)
		json_object_array_add(*list,
		    json_object_new_string(db_str(res, 0)));
	db_free(res);
	if (rc == -1) {
		json_object_put(*list);
		*list = NULL;
		return db_error();
	}
	return OK;
}

/* The live account's name and address, locked: OK (caller frees),
 * E_NOT_FOUND, E_DB. */
static enum outcome
load_person(long long uid, char **name, char **email)
{
	struct dbres *res;
	int rc;

	*name = *email = NULL;
	if ((res = db_query("SELECT name, email FROM users WHERE id = ?"
	    " AND deleted_at IS NULL FOR UPDATE", "i", uid)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		*name = xstrdup(db_str(res, 0));
		*email = xstrdup(db_str(res, 1));
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

/* The rows that are only about uid, anywhere. */
static enum outcome
erase_rows(long long uid)
{
	EXEC("DELETE FROM sessions WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM account_tokens WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM notification_prefs WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM policy_acks WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM consents WHERE user_id = ?", "i", uid);
	/* The users row stays (anonymised): no cascade removes these. */
	if (twofactor_erase(uid) != OK)
		return db_error();
	EXEC("DELETE FROM ticket_cc WHERE user_id = ?", "i", uid);
	EXEC("DELETE FROM memberships WHERE user_id = ?", "i", uid);
	if (rate_forget_user(uid) != OK)
		return db_error();
	EXEC("UPDATE audit_log SET ip = '', user_agent = ''"
	    " WHERE actor_id = ? OR (object_type = 'user' AND object_id = ?)",
	    "ii", uid, uid);
	return OK;
}

static enum outcome
erase_person(const struct actor *a, long long uid, const char *name,
    const char *email)
{
	struct json_object *blocked, *solo, *addrs, *held;
	char anon[64];
	enum outcome rc;
	size_t i, n;
	int holds;

	/* Whether holds keep something of theirs: said by the audit row
	 * (which names none of it), asked before the memberships go. */
	if ((held = hold_for_person(uid)) == NULL)
		return E_DB;
	holds = json_object_array_length(held) > 0;
	json_object_put(held);
	if ((rc = plan(uid, 1, &blocked, &solo)) != OK)
		return rc;
	if (json_object_array_length(blocked) > 0) {
		rc = E_LAST_ADMIN;
		goto out;
	}
	for (i = 0, n = json_object_array_length(solo); i < n; i++) {
		struct json_object *w = json_object_array_get_idx(solo, i), *id;

		json_object_object_get_ex(w, "id", &id);
		if ((rc = workspace_delete(a, json_object_get_int64(id))) != OK)
			goto out;
	}
	if ((rc = token_addresses(uid, &addrs)) != OK)
		goto out;
	for (i = 0, n = json_object_array_length(addrs); i < n && rc == OK;
	    i++) {
		const char *addr = json_object_get_string(
		    json_object_array_get_idx(addrs, i));

		if ((rc = erase_address(name, addr)) == OK)
			rc = erase_quarantine(uid, 0, addr);
	}
	json_object_put(addrs);
	if (rc != OK ||
	    (rc = erase_address(name, email)) != OK ||
	    (rc = erase_quarantine(uid, 0, email)) != OK ||
	    (rc = erase_text(uid, 0)) != OK ||
	    (rc = erase_files(uid, 0, uid)) != OK ||
	    (rc = erase_history(0, uid, name, email)) != OK ||
	    (rc = erase_rows(uid)) != OK)
		goto out;
	snprintf(anon, sizeof(anon), ERASED_EMAIL_FMT, uid);
	if (db_exec("UPDATE users SET name = ?, email = ?,"
	    " email_confirmed_at = NULL, password_hash = NULL,"
	    " lang = NULL, time_zone = NULL, queue_view = NULL,"
	    " updated_at = UTC_TIMESTAMP(), deleted_at = UTC_TIMESTAMP()"
	    " WHERE id = ?", "ssi", ERASED_NAME, anon, uid) == -1) {
		rc = db_error();
		goto out;
	}
	rc = audit_blank(a, 0, holds ? "user.erase_held" : "user.erase",
	    "user", uid);
out:
	json_object_put(blocked);
	json_object_put(solo);
	return rc;
}

enum outcome
user_erase(const struct actor *a, long long user_id)
{
	char *name, *email;
	enum outcome rc;

	if ((rc = load_person(user_id, &name, &email)) != OK)
		return rc;
	rc = erase_person(a, user_id, name, email);
	free(name);
	free(email);
	return rc;
}

enum outcome
erase_placeholder(long long *id)
{
	EXEC("INSERT IGNORE INTO users (name, email, password_hash,"
	    " created_at, updated_at, deleted_at) VALUES (?, ?, NULL,"
	    " UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP())", "ss",
	    ERASED_NAME, PLACEHOLDER_EMAIL);
	*id = db_scalar("SELECT id FROM users WHERE email = ?"
	    " AND deleted_at IS NOT NULL AND password_hash IS NULL", "s",
	    PLACEHOLDER_EMAIL);
	if (*id <= 0) {
		log_err("erase: no placeholder account");
		return db_failed() ? db_error() : E_DB;
	}
	return OK;
}

/* requester uid's membership of the actor's workspace, locked, and
 * whether they belong to any other: OK, E_NOT_FOUND, E_FORBIDDEN, E_DB. */
static enum outcome
requester_of(const struct actor *a, long long uid, int *others)
{
	struct dbres *res;
	enum role role;
	int rc;

	if ((res = db_query("SELECT role FROM memberships WHERE"
	    " workspace_id = ? AND user_id = ? FOR UPDATE", "ii", a->ws_id,
	    uid)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1)
		role = role_parse(db_str(res, 0));
	db_free(res);
	if (rc != 1)
		return rc == 0 ? E_NOT_FOUND : db_error();
	if (role != ROLE_REQUESTER)
		return E_FORBIDDEN;
	*others = (int)db_scalar("SELECT COUNT(*) FROM memberships WHERE"
	    " user_id = ? AND workspace_id <> ?", "ii", uid, a->ws_id);
	return *others < 0 ? db_error() : OK;
}

/* What of uid is in workspace ws, moved to the placeholder p and
 * scrubbed: the account itself lives on. */
static enum outcome
erase_from_ws(long long ws, long long uid, long long p, const char *name,
    const char *email)
{
	enum outcome rc;

	if ((rc = erase_text(uid, ws)) != OK ||
	    (rc = erase_files(uid, ws, p)) != OK ||
	    (rc = erase_history(ws, uid, name, email)) != OK ||
	    (rc = erase_mail(ws, name, email)) != OK ||
	    (rc = erase_quarantine(uid, ws, email)) != OK)
		return rc;
	EXEC("UPDATE tickets SET requester_id = ? WHERE workspace_id = ?"
	    " AND requester_id = ?", "iii", p, ws, uid);
	EXEC("UPDATE comments SET author_id = ? WHERE workspace_id = ?"
	    " AND author_id = ?", "iii", p, ws, uid);
	EXEC("UPDATE ticket_events SET actor_id = ? WHERE workspace_id = ?"
	    " AND actor_id = ?", "iii", p, ws, uid);
	EXEC("DELETE c FROM ticket_cc c JOIN tickets t ON t.id = c.ticket_id"
	    " WHERE t.workspace_id = ? AND c.user_id = ?", "ii", ws, uid);
	EXEC("UPDATE audit_log SET ip = '', user_agent = '', actor_id = ?"
	    " WHERE workspace_id = ? AND actor_id = ?", "iii", p, ws, uid);
	EXEC("UPDATE audit_log SET ip = '', user_agent = '', object_id = ?"
	    " WHERE workspace_id = ? AND object_type = 'user'"
	    " AND object_id = ?", "iii", p, ws, uid);
	EXEC("DELETE FROM invitations WHERE workspace_id = ? AND email = ?",
	    "is", ws, email);
	EXEC("DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?",
	    "ii", ws, uid);
	return OK;
}

enum outcome
workspace_erase_member(const struct actor *a, long long user_id,
    int *account_erased)
{
	struct json_object *held;
	char *name = NULL, *email = NULL;
	enum outcome rc;
	long long p = 0;
	int others = 0;

	*account_erased = 0;
	if ((rc = requester_of(a, user_id, &others)) != OK)
		return rc;
	if ((rc = hold_blocking_member(a, user_id, &held)) != OK)
		return rc;
	if (held != NULL) {
		json_object_put(held);
		return E_CONFLICT;
	}
	if ((rc = load_person(user_id, &name, &email)) != OK)
		goto out;
	if (others == 0) {
		/* Nothing of them is anywhere else: the account goes. */
		if ((rc = erase_person(a, user_id, name, email)) == OK)
			*account_erased = 1;
	} else if ((rc = erase_placeholder(&p)) == OK)
		rc = erase_from_ws(a->ws_id, user_id, p, name, email);
	if (rc == OK)
		rc = audit(a, a->ws_id, 0, "member.erase", "user",
		    *account_erased ? user_id : p);
out:
	free(name);
	free(email);
	return rc;
}

enum outcome
workspace_delete(const struct actor *a, long long ws_id)
{
	long long n;

	if ((n = db_scalar("SELECT id FROM workspaces WHERE id = ?"
	    " FOR UPDATE", "i", ws_id)) <= 0)
		return db_failed() ? db_error() : E_NOT_FOUND;
	/* Held data outlives no hold by a deletion. */
	switch (hold_any(ws_id)) {
	case -1:
		return db_error();
	case 1:
		return E_CONFLICT;
	}
	/* Tickets take their comments, history, tags, copies, attachments
	 * and mail with them (ON DELETE CASCADE); the workspace its
	 * memberships, invitations and mail. */
	EXEC("DELETE FROM tickets WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM attachments WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM ticket_counts WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM blob_chunks WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM blobs WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM outbox WHERE workspace_id = ?", "i", ws_id);
	/* Mail in: the quarantine (its chunks by cascade) and the
	 * Message-IDs stored for it. */
	EXEC("DELETE FROM mail_quarantine WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM mail_seen WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM audit_log WHERE workspace_id = ?", "i", ws_id);
	EXEC("DELETE FROM workspaces WHERE id = ?", "i", ws_id);
	return audit_blank(a, 0, "workspace.delete", "workspace", ws_id);
}

enum outcome
ws_erase_text(long long ws_id, int *on)
{
	long long v;

	v = db_scalar("SELECT erase_text FROM workspaces WHERE id = ?", "i",
	    ws_id);
	if (v < 0)
		return db_failed() ? db_error() : E_NOT_FOUND;
	*on = v != 0;
	return OK;
}

enum outcome
ws_set_erase_text(long long ws_id, int on)
{
	EXEC("UPDATE workspaces SET erase_text = ? WHERE id = ?", "ii",
	    (long long)(on != 0), ws_id);
	return OK;
}

enum outcome
user_has_password(long long user_id, int *has)
{
	long long v;

	v = db_scalar("SELECT password_hash IS NOT NULL FROM users"
	    " WHERE id = ? AND deleted_at IS NULL", "i", user_id);
	if (v < 0)
		return db_failed() ? db_error() : E_NOT_FOUND;
	*has = v != 0;
	return OK;
}
