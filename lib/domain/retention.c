/*
 * retention: the settings and the steps of helpdesk-retention
 * (retention.h). Each step reads at most a batch of the oldest rows
 * through an index on time, changes them and returns, so a transaction
 * holds its locks for one batch only; the program commits and calls
 * again. A row a step has done no longer matches (closed, deleted,
 * anonymised_at set), which is what makes a second pass do nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "erase.h"
#include "holds.h"
#include "log.h"
#include "retention.h"
#include "searchidx.h"
#include "tickets.h"
#include "util.h"

/* Ticket statuses (sql/003-tickets.sql). */
#define ST_SOLVED	4
#define ST_CLOSED	5
/* Files: their chunks are up to 512 KiB each, so fewer per batch. */
#define FILES_BATCH	50
/* Accounts: each erasure is many statements. */
#define ACCOUNTS_BATCH	50

#define OLDER(col)	" " col " < UTC_TIMESTAMP() - INTERVAL ? DAY"
/* The limiter's counters (ratelimit.h) end their windows in Unix time. */
#define RATE_OLDER	" win_end < UNIX_TIMESTAMP() - ? * 86400"

const char *
ret_kind_name(enum ret_kind k, const struct retention *r)
{
	static const char *const names[RK__MAX] = {
		"close", "closed", "audit", "usage", "invitations",
		"quarantine", "files",
		"sessions", "signin_failures", "tokens", "rate_counts",
		"outbox", "unconfirmed_accounts", "audit_no_workspace",
		"quarantine_no_workspace", "mail_seen"
	};

	if (k == RK_CLOSED && r != NULL)
		return r->closed_delete ? "delete" : "anonymise";
	return (unsigned)k < RK__MAX ? names[k] : "?";
}

void
retention_apply_defaults(const struct retention *own, struct retention *eff)
{
	eff->close_solved = own->close_solved >= 0 ? own->close_solved :
	    cfg.retention_close_solved_days;
	eff->closed = own->closed >= 0 ? own->closed :
	    cfg.retention_closed_days;
	eff->closed_delete = own->closed_delete >= 0 ? own->closed_delete :
	    strcmp(cfg.retention_closed_action, "delete") == 0;
	eff->audit = own->audit >= 0 ? own->audit : cfg.retention_audit_days;
	eff->usage = own->usage >= 0 ? own->usage : cfg.retention_usage_days;
	eff->invitations = own->invitations >= 0 ? own->invitations :
	    cfg.retention_invitations_days;
	eff->quarantine = own->quarantine >= 0 ? own->quarantine :
	    cfg.retention_quarantine_days;
}

static long long
col_or_none(const struct dbres *res, unsigned i)
{
	return db_str(res, i) == NULL ? -1 : db_int(res, i);
}

enum outcome
ws_retention(long long ws_id, struct retention *own, struct retention *eff)
{
	struct dbres *res;
	int rc;

	if ((res = db_query("SELECT retain_close_solved_days,"
	    " retain_closed_days, retain_closed_action, retain_audit_days,"
	    " retain_usage_days, retain_invitations_days,"
	    " retain_quarantine_days FROM workspaces WHERE id = ?", "i",
	    ws_id)) == NULL)
		return db_error();
	if ((rc = db_next(res)) == 1) {
		own->close_solved = col_or_none(res, 0);
		own->closed = col_or_none(res, 1);
		own->closed_delete = db_str(res, 2) == NULL ? -1 :
		    str_eq(db_str(res, 2), "delete");
		own->audit = col_or_none(res, 3);
		own->usage = col_or_none(res, 4);
		own->invitations = col_or_none(res, 5);
		own->quarantine = col_or_none(res, 6);
		retention_apply_defaults(own, eff);
	}
	db_free(res);
	return rc == 1 ? OK : rc == 0 ? E_NOT_FOUND : db_error();
}

static int
in_bounds(long long v, long long lo, long long hi)
{
	return v == -1 || (v >= lo && v <= hi);
}

enum outcome
ws_set_retention(long long ws_id, const struct retention *r)
{
	if (!in_bounds(r->close_solved, 0, RET_CLOSE_SOLVED_MAX) ||
	    !in_bounds(r->closed, 0, RET_CLOSED_MAX) ||
	    !in_bounds(r->closed_delete, 0, 1) ||
	    !in_bounds(r->audit, RET_AUDIT_MIN, RET_AUDIT_MAX) ||
	    !in_bounds(r->usage, 1, RET_USAGE_MAX) ||
	    !in_bounds(r->invitations, 1, RET_INVITATIONS_MAX) ||
	    !in_bounds(r->quarantine, 1, RET_QUARANTINE_MAX))
		return E_INVALID;
	/* -1 binds as NULL: "the default". */
	if (db_exec("UPDATE workspaces SET"
	    " retain_close_solved_days = NULLIF(?, -1),"
	    " retain_closed_days = NULLIF(?, -1),"
	    " retain_closed_action = ELT(? + 2, NULL, 'anonymise', 'delete'),"
	    " retain_audit_days = NULLIF(?, -1),"
	    " retain_usage_days = NULLIF(?, -1),"
	    " retain_invitations_days = NULLIF(?, -1),"
	    " retain_quarantine_days = NULLIF(?, -1) WHERE id = ?",
	    "iiiiiiii", r->close_solved, r->closed,
	    (long long)r->closed_delete, r->audit, r->usage, r->invitations,
	    r->quarantine, ws_id) == -1)
		return db_error();
	return OK;
}

/* ---- what would be done ------------------------------------------------ */

/* The tickets each ticket step takes, oldest first. */
#define CLOSE_SQL \
	" FROM tickets t WHERE t.workspace_id = ? AND t.status = 4" \
	" AND" OLDER("t.updated_at") " AND" HOLD_TICKET_FREE_SQL
#define DELETE_SQL \
	" FROM tickets t WHERE t.workspace_id = ? AND t.status = 5" \
	" AND" OLDER("t.updated_at") " AND" HOLD_TICKET_FREE_SQL
#define ANON_SQL \
	" FROM tickets t WHERE t.workspace_id = ? AND t.status = 5" \
	" AND t.anonymised_at IS NULL" \
	" AND" OLDER("t.updated_at") " AND" HOLD_TICKET_FREE_SQL
/* Contents no attachment of the workspace references, stored more than
 * a day ago (a day's grace costs nothing and keeps clear of uploads in
 * flight). */
#define ORPHAN_SQL \
	" FROM blobs b WHERE b.workspace_id = ?" \
	" AND b.created_at < UTC_TIMESTAMP() - INTERVAL 1 DAY AND NOT EXISTS" \
	" (SELECT 1 FROM attachments x WHERE x.workspace_id = b.workspace_id" \
	" AND x.sha256 = b.sha256)"
/* An invitation expired (revoking one expires it) or accepted N days
 * ago. */
#define INVITE_SQL \
	" FROM invitations WHERE workspace_id = ? AND ((accepted_at IS NULL" \
	" AND" OLDER("expires_at") ") OR" OLDER("accepted_at") ")"
/* Expired for N days: idle past session_idle, or older than
 * session_max. */
#define SESSION_IDLE_SQL \
	" FROM sessions WHERE last_seen_at < UTC_TIMESTAMP()" \
	" - INTERVAL ? SECOND - INTERVAL ? DAY"
#define SESSION_MAX_SQL \
	" FROM sessions WHERE created_at < UTC_TIMESTAMP()" \
	" - INTERVAL ? SECOND - INTERVAL ? DAY"
#define TOKENS_SQL \
	" FROM account_tokens WHERE" OLDER("expires_at") \
	" OR" OLDER("used_at")
/* Sent, or given up on. */
#define OUTBOX_SENT_SQL	" FROM outbox WHERE" OLDER("sent_at")
#define OUTBOX_FAILED_SQL \
	" FROM outbox WHERE sent_at IS NULL AND" OLDER("failed_at")
/* Notifications never fanned out (no mailer ran): as old as sent mail
 * that is deleted, they would only be mailed stale. */
#define EVENTS_SQL	" FROM notify_events WHERE" OLDER("created_at")
/* Never confirmed, and nothing written: an account made for someone who
 * wrote in by mail (mailin.h) is unconfirmed until its owner claims it,
 * and is kept while a ticket or reply of theirs is. */
#define UNCONFIRMED_SQL \
	" FROM users u WHERE u.email_confirmed_at IS NULL" \
	" AND u.deleted_at IS NULL AND" OLDER("u.created_at") \
	" AND u.id > ? AND" HOLD_USER_FREE_SQL \
	" AND NOT EXISTS (SELECT 1 FROM tickets t WHERE" \
	" t.requester_id = u.id) AND NOT EXISTS (SELECT 1 FROM comments c" \
	" WHERE c.author_id = u.id)"
/* Quarantined mail of a workspace (of none) received N days ago, but for
 * what a hold keeps (its chunks go with it: ON DELETE CASCADE). */
#define QUARANTINE_SQL \
	" FROM mail_quarantine WHERE workspace_id = ? AND" \
	OLDER("created_at") " AND" HOLD_QUARANTINE_FREE("mail_quarantine")
#define QUARANTINE_NONE_SQL \
	" FROM mail_quarantine WHERE workspace_id IS NULL AND" \
	OLDER("created_at")
/* The Message-IDs of mail stored N days ago: past any MTA's retries and
 * an IMAP mailbox's re-polls, a copy would be stored again. */
#define MAIL_SEEN_SQL	" FROM mail_seen WHERE" OLDER("created_at")

/* Whether usage_daily exists (another part of issue 11 makes it): 1, 0,
 * or -1 on an error. */
static int
have_usage(void)
{
	long long n = db_scalar("SELECT COUNT(*) FROM information_schema.tables"
	    " WHERE table_schema = DATABASE() AND table_name = 'usage_daily'",
	    "");

	return n < 0 ? -1 : n > 0;
}

enum outcome
retention_count(const struct actor *a, enum ret_kind k,
    const struct retention *r, long long *n)
{
	long long ws = a->ws_id, m = 0;
	int u;

	*n = 0;
	switch (k) {
	case RK_CLOSE:
		if (r->close_solved > 0)
			*n = db_scalar("SELECT COUNT(*)" CLOSE_SQL, "ii", ws,
			    r->close_solved);
		break;
	case RK_CLOSED:
		if (r->closed > 0 && r->closed_delete)
			*n = db_scalar("SELECT COUNT(*)" DELETE_SQL, "ii", ws,
			    r->closed);
		else if (r->closed > 0)
			*n = db_scalar("SELECT COUNT(*)" ANON_SQL, "ii", ws,
			    r->closed);
		break;
	case RK_AUDIT:
		*n = db_scalar("SELECT COUNT(*) FROM audit_log WHERE"
		    " workspace_id = ? AND" OLDER("created_at"), "ii", ws,
		    r->audit);
		break;
	case RK_USAGE:
		if ((u = have_usage()) == -1)
			return db_error();
		if (u)
			*n = db_scalar("SELECT COUNT(*) FROM usage_daily WHERE"
			    " workspace_id = ? AND day < UTC_DATE()"
			    " - INTERVAL ? DAY", "ii", ws, r->usage);
		break;
	case RK_INVITATIONS:
		*n = db_scalar("SELECT COUNT(*)" INVITE_SQL, "iii", ws,
		    r->invitations, r->invitations);
		break;
	case RK_FILES:
		*n = db_scalar("SELECT COUNT(*)" ORPHAN_SQL, "i", ws);
		break;
	case RK_SESSIONS:
		*n = db_scalar("SELECT COUNT(*)" SESSION_IDLE_SQL
		    " OR created_at < UTC_TIMESTAMP() - INTERVAL ? SECOND"
		    " - INTERVAL ? DAY", "iiii", cfg.session_idle,
		    cfg.retention_sessions_days, cfg.session_max,
		    cfg.retention_sessions_days);
		break;
	case RK_SIGNIN_FAILURES:
		*n = db_scalar("SELECT COUNT(*) FROM signin_failures WHERE"
		    OLDER("created_at"), "i",
		    cfg.retention_signin_failures_days);
		break;
	case RK_TOKENS:
		*n = db_scalar("SELECT COUNT(*)" TOKENS_SQL, "ii",
		    cfg.retention_tokens_days, cfg.retention_tokens_days);
		break;
	case RK_RATE_COUNTS:
		*n = db_scalar("SELECT COUNT(*) FROM rate_counts WHERE"
		    RATE_OLDER, "i", cfg.retention_rate_counts_days);
		break;
	case RK_OUTBOX:
		*n = db_scalar("SELECT COUNT(*)" OUTBOX_SENT_SQL, "i",
		    cfg.retention_outbox_days);
		if (*n >= 0 && (m = db_scalar("SELECT COUNT(*)"
		    OUTBOX_FAILED_SQL, "i", cfg.retention_outbox_days)) >= 0)
			*n += m;
		else
			*n = -1;
		if (*n >= 0 && (m = db_scalar("SELECT COUNT(*)" EVENTS_SQL,
		    "i", cfg.retention_outbox_days)) >= 0)
			*n += m;
		else
			*n = -1;
		break;
	case RK_UNCONFIRMED:
		if (cfg.retention_unconfirmed_days > 0)
			*n = db_scalar("SELECT COUNT(*)" UNCONFIRMED_SQL, "ii",
			    cfg.retention_unconfirmed_days, 0LL);
		break;
	case RK_AUDIT_NONE:
		*n = db_scalar("SELECT COUNT(*) FROM audit_log WHERE"
		    " workspace_id IS NULL AND" OLDER("created_at"), "i",
		    cfg.retention_audit_days);
		break;
	case RK_QUARANTINE:
		*n = db_scalar("SELECT COUNT(*)" QUARANTINE_SQL, "ii", ws,
		    r->quarantine);
		break;
	case RK_QUARANTINE_NONE:
		*n = db_scalar("SELECT COUNT(*)" QUARANTINE_NONE_SQL, "i",
		    cfg.retention_quarantine_days);
		break;
	case RK_MAIL_SEEN:
		*n = db_scalar("SELECT COUNT(*)" MAIL_SEEN_SQL, "i",
		    cfg.retention_mail_seen_days);
		break;
	default:
		return E_INVALID;
	}
	return *n < 0 ? db_error() : OK;
}

/* ---- doing it ------------------------------------------------------------ */

/* The ids of a locked batch (column 0 of res), at most limit: their
 * number, or -1. */
static long long
ids_of(struct dbres *res, long long limit, long long **ids)
{
	long long n = 0;
	int rc = 0;

	if (res == NULL)
		return -1;
	*ids = xcalloc((size_t)limit, sizeof(**ids));
	while (n < limit && (rc = db_next(res)) == 1)
		(*ids)[n++] = db_int(res, 0);
	db_free(res);
	if (n < limit && rc == -1) {
		free(*ids);
		*ids = NULL;
		return -1;
	}
	return n;
}

static int
count_add(long long ws, int status, long long delta)
{
	return db_exec("INSERT INTO ticket_counts (workspace_id, status, n)"
	    " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
	    "iii", ws, (long long)status, delta) == -1 ? -1 : 0;
}

/* Solved and untouched for N days: closed, as an agent would, with a
 * status event in the history and an audit row. */
static enum outcome
close_step(const struct actor *a, const struct retention *r,
    long long limit, long long *n)
{
	long long *ids = NULL, i;
	enum outcome rc = OK;

	if (r->close_solved == 0)
		return OK;
	if ((*n = ids_of(db_query("SELECT t.id" CLOSE_SQL
	    " ORDER BY t.updated_at, t.id LIMIT ? FOR UPDATE", "iii",
	    a->ws_id, r->close_solved, limit), limit, &ids)) == -1)
		return db_error();
	for (i = 0; i < *n && rc == OK; i++) {
		/* updated_at moves: the closed clock starts now. */
		if (db_exec("UPDATE tickets SET status = 5,"
		    " version = version + 1, updated_at = UTC_TIMESTAMP(),"
		    " public_updated_at = UTC_TIMESTAMP() WHERE id = ?", "i",
		    ids[i]) == -1 || searchidx_touch(ids[i]) != OK ||
		    db_exec("INSERT INTO ticket_events (ticket_id, workspace_id,"
		    " actor_id, field, old_value, new_value, created_at)"
		    " VALUES (?, ?, NULL, 'status', ?, ?, UTC_TIMESTAMP())",
		    "iiss", ids[i], a->ws_id, status_name(ST_SOLVED),
		    status_name(ST_CLOSED)) == -1)
			rc = db_error();
		else
			rc = audit(a, a->ws_id, 0, "ticket.close", "ticket",
			    ids[i]);
	}
	if (rc == OK && *n > 0 && (count_add(a->ws_id, ST_SOLVED, -*n) ==
	    -1 || count_add(a->ws_id, ST_CLOSED, *n) == -1))
		rc = db_error();
	free(ids);
	return rc;
}

/* Closed for N days: deleted with everything of it (ON DELETE CASCADE:
 * thread, history, tags, copies, attachments, mail); its files go in
 * the files step once nothing else references them. */
static enum outcome
delete_step(const struct actor *a, const struct retention *r,
    long long limit, long long *n)
{
	long long *ids = NULL, i;
	enum outcome rc = OK;

	if ((*n = ids_of(db_query("SELECT t.id" DELETE_SQL
	    " ORDER BY t.updated_at, t.id LIMIT ? FOR UPDATE", "iii",
	    a->ws_id, r->closed, limit), limit, &ids)) == -1)
		return db_error();
	for (i = 0; i < *n && rc == OK; i++) {
		if (db_exec("DELETE FROM tickets WHERE id = ?", "i",
		    ids[i]) == -1)
			rc = db_error();
		else
			rc = audit(a, a->ws_id, 0, "ticket.delete", "ticket",
			    ids[i]);
	}
	if (rc == OK && *n > 0 && count_add(a->ws_id, ST_CLOSED, -*n) == -1)
		rc = db_error();
	free(ids);
	return rc;
}

/* One closed ticket anonymised: its subject, body and every reply and
 * note replaced, its files and mail removed, and every person unlinked
 * (requester, assignee, authors, copies, history's actors and the names
 * and addresses in its assignee and copy events) to "Deleted user". The
 * ticket keeps its number, status, priority, tags and times, so the
 * queue's counts and the workspace's figures stay whole. */
static enum outcome
anonymise_one(const struct actor *a, long long id, long long p)
{
	enum outcome rc;

	if (db_exec("UPDATE tickets SET subject = ?, body = ?,"
	    " body_html = NULL, requester_id = ?, assignee_id = NULL,"
	    " anonymised_at = UTC_TIMESTAMP() WHERE id = ?", "ssii",
	    RETAINED_TEXT, RETAINED_TEXT, p, id) == -1 ||
	    db_exec("UPDATE comments SET body = ?, body_html = NULL,"
	    " author_id = IF(author_id IS NULL, NULL, ?) WHERE ticket_id = ?",
	    "sii", RETAINED_TEXT, p, id) == -1 ||
	    db_exec("UPDATE ticket_events SET"
	    " actor_id = IF(actor_id IS NULL, NULL, ?),"
	    " old_value = IF(field IN ('status', 'priority', 'tags'),"
	    " old_value, ''),"
	    " new_value = IF(field IN ('status', 'priority', 'tags'),"
	    " new_value, '') WHERE ticket_id = ?", "ii", p, id) == -1 ||
	    db_exec("DELETE FROM ticket_cc WHERE ticket_id = ?", "i",
	    id) == -1 ||
	    db_exec("DELETE FROM attachments WHERE ticket_id = ?", "i",
	    id) == -1 ||
	    db_exec("DELETE FROM outbox WHERE ticket_id = ?", "i", id) == -1 ||
	    db_exec("DELETE FROM notify_events WHERE ticket_id = ?", "i",
	    id) == -1)
		return db_error();
	/* Its old words must not find the anonymised ticket. */
	if ((rc = searchidx_ticket(id)) != OK)
		return rc;
	return audit(a, a->ws_id, 0, "ticket.anonymise", "ticket", id);
}

static enum outcome
anonymise_step(const struct actor *a, const struct retention *r,
    long long limit, long long *n)
{
	long long *ids = NULL, i, p = 0;
	enum outcome rc;

	if ((*n = ids_of(db_query("SELECT t.id" ANON_SQL
	    " ORDER BY t.updated_at, t.id LIMIT ? FOR UPDATE", "iii",
	    a->ws_id, r->closed, limit), limit, &ids)) == -1)
		return db_error();
	if (*n > 0 && (rc = erase_placeholder(&p)) != OK) {
		free(ids);
		return rc;
	}
	for (i = 0, rc = OK; i < *n && rc == OK; i++)
		rc = anonymise_one(a, ids[i], p);
	free(ids);
	return rc;
}

/*
 * Contents no attachment references. The blob row goes first, and only
 * while still unreferenced (the DELETE's own look at attachments is a
 * locking read); an upload of the same bytes reads the blob row with a
 * shared lock (attachments.c, blob_store), so it either waits for this
 * and stores the content again, or holds this back until its attachment
 * is in and the blob stays.
 */
static enum outcome
files_step(const struct actor *a, long long limit, long long *n)
{
	struct dbres *res;
	unsigned char (*shas)[32];
	long long i, got = 0, gone;
	int rc = 0;

	*n = 0;
	if (limit > FILES_BATCH)
		limit = FILES_BATCH;
	if ((res = db_query("SELECT b.sha256" ORPHAN_SQL " LIMIT ?", "ii",
	    a->ws_id, limit)) == NULL)
		return db_error();
	shas = xcalloc((size_t)limit, sizeof(*shas));
	while (got < limit && (rc = db_next(res)) == 1)
		if (db_len(res, 0) == 32)
			memcpy(shas[got++], db_str(res, 0), 32);
	db_free(res);
	if (got < limit && rc == -1) {
		free(shas);
		return db_error();
	}
	*n = 0;
	for (i = 0; i < got; i++) {
		if ((gone = db_exec("DELETE FROM blobs WHERE workspace_id = ?"
		    " AND sha256 = ? AND NOT EXISTS (SELECT 1 FROM attachments x"
		    " WHERE x.workspace_id = ? AND x.sha256 = ?)", "ibib",
		    a->ws_id, shas[i], (size_t)32, a->ws_id, shas[i],
		    (size_t)32)) == -1 ||
		    (gone == 1 && db_exec("DELETE FROM blob_chunks WHERE"
		    " workspace_id = ? AND sha256 = ?", "ib", a->ws_id,
		    shas[i], (size_t)32) == -1)) {
			free(shas);
			return db_error();
		}
		*n += gone;
	}
	free(shas);
	return OK;
}

/* Accounts never confirmed for N days: erased as their owner would
 * (erase.h). One whose erasure is refused (the only admin of a workspace
 * with others) is left and passed over through *cursor. */
static enum outcome
unconfirmed_step(const struct actor *a, long long limit, long long *cursor,
    long long *n)
{
	long long *ids = NULL, i;
	enum outcome rc = OK;

	if (cfg.retention_unconfirmed_days == 0)
		return OK;
	if (limit > ACCOUNTS_BATCH)
		limit = ACCOUNTS_BATCH;
	if ((*n = ids_of(db_query("SELECT u.id" UNCONFIRMED_SQL
	    " ORDER BY u.id LIMIT ?", "iii", cfg.retention_unconfirmed_days,
	    *cursor, limit), limit, &ids)) == -1)
		return db_error();
	for (i = 0; i < *n && rc == OK; i++) {
		*cursor = ids[i];
		if ((rc = user_erase(a, ids[i])) == E_LAST_ADMIN ||
		    rc == E_NOT_FOUND) {
			log_info("retention: account %lld left: %s", ids[i],
			    rc == E_LAST_ADMIN ? "the only admin of a "
			    "workspace with others" : "already gone");
			rc = OK;
		}
	}
	free(ids);
	return rc;
}

/* A DELETE of at most limit rows, oldest first. */
#define PURGE(sql, fmt, ...) \
	((*n = db_exec(sql " LIMIT ?", fmt "i", __VA_ARGS__, limit)) == -1 ? \
	db_error() : OK)

enum outcome
retention_step(const struct actor *a, enum ret_kind k,
    const struct retention *r, long long limit, long long *cursor,
    long long *n)
{
	enum outcome rc;
	long long m;
	int u;

	*n = 0;
	switch (k) {
	case RK_CLOSE:
		return close_step(a, r, limit, n);
	case RK_CLOSED:
		if (r->closed == 0)
			return OK;
		return r->closed_delete ? delete_step(a, r, limit, n) :
		    anonymise_step(a, r, limit, n);
	case RK_AUDIT:
		return PURGE("DELETE FROM audit_log WHERE workspace_id = ? AND"
		    OLDER("created_at") " ORDER BY created_at", "ii",
		    a->ws_id, r->audit);
	case RK_USAGE:
		if ((u = have_usage()) == -1)
			return db_error();
		if (!u)
			return OK;
		return PURGE("DELETE FROM usage_daily WHERE workspace_id = ?"
		    " AND day < UTC_DATE() - INTERVAL ? DAY", "ii", a->ws_id,
		    r->usage);
	case RK_INVITATIONS:
		return PURGE("DELETE" INVITE_SQL, "iii", a->ws_id,
		    r->invitations, r->invitations);
	case RK_FILES:
		return files_step(a, limit, n);
	case RK_SESSIONS:
		if ((rc = PURGE("DELETE" SESSION_IDLE_SQL, "ii",
		    cfg.session_idle, cfg.retention_sessions_days)) != OK ||
		    *n == limit)
			return rc;
		m = *n;
		rc = PURGE("DELETE" SESSION_MAX_SQL, "ii", cfg.session_max,
		    cfg.retention_sessions_days);
		*n += m;
		return rc;
	case RK_SIGNIN_FAILURES:
		return PURGE("DELETE FROM signin_failures WHERE"
		    OLDER("created_at") " ORDER BY created_at", "i",
		    cfg.retention_signin_failures_days);
	case RK_TOKENS:
		return PURGE("DELETE" TOKENS_SQL, "ii",
		    cfg.retention_tokens_days, cfg.retention_tokens_days);
	case RK_RATE_COUNTS:
		return PURGE("DELETE FROM rate_counts WHERE" RATE_OLDER
		    " ORDER BY win_end", "i", cfg.retention_rate_counts_days);
	case RK_OUTBOX:
		if ((rc = PURGE("DELETE" OUTBOX_SENT_SQL, "i",
		    cfg.retention_outbox_days)) != OK || *n == limit)
			return rc;
		m = *n;
		if ((rc = PURGE("DELETE" OUTBOX_FAILED_SQL, "i",
		    cfg.retention_outbox_days)) != OK || (*n += m) >= limit)
			return rc;
		m = *n;
		rc = PURGE("DELETE" EVENTS_SQL " ORDER BY created_at", "i",
		    cfg.retention_outbox_days);
		*n += m;
		return rc;
	case RK_UNCONFIRMED:
		return unconfirmed_step(a, limit, cursor, n);
	case RK_AUDIT_NONE:
		return PURGE("DELETE FROM audit_log WHERE workspace_id IS NULL"
		    " AND" OLDER("created_at") " ORDER BY created_at", "i",
		    cfg.retention_audit_days);
	case RK_QUARANTINE:
		return PURGE("DELETE" QUARANTINE_SQL " ORDER BY created_at",
		    "ii", a->ws_id, r->quarantine);
	case RK_QUARANTINE_NONE:
		return PURGE("DELETE" QUARANTINE_NONE_SQL " ORDER BY created_at",
		    "i", cfg.retention_quarantine_days);
	case RK_MAIL_SEEN:
		return PURGE("DELETE" MAIL_SEEN_SQL " ORDER BY created_at", "i",
		    cfg.retention_mail_seen_days);
	default:
		return E_INVALID;
	}
}
