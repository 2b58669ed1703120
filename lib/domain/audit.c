#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "parse.h"
#include "util.h"

enum outcome
audit_detail(const struct actor *a, long long workspace_id,
    long long actor_id, const char *action, const char *object_type,
    long long object_id, const char *detail)
{
	long long who = a->user_id ? a->user_id : actor_id;

	return db_exec("INSERT INTO audit_log (workspace_id, actor_id, action,"
	    " object_type, object_id, ip, user_agent, detail, created_at)"
	    " VALUES (NULLIF(?, 0), NULLIF(?, 0), ?, ?, NULLIF(?, 0), ?,"
	    " LEFT(?, 255), ?, UTC_TIMESTAMP())", "iississs", workspace_id,
	    who, action, object_type, object_id, a->addr ? a->addr : "",
	    /* A program acting on its own (actor_system) has no address:
	     * its name stands in the browser's column. */
	    a->agent ? a->agent : a->system, detail) == -1 ? db_error() : OK;
}

enum outcome
audit(const struct actor *a, long long workspace_id, long long actor_id,
    const char *action, const char *object_type, long long object_id)
{
	return audit_detail(a, workspace_id, actor_id, action, object_type,
	    object_id, NULL);
}

/*
 * Each action in words, after the actor's name: %o is the object (a
 * ticket's "#12", a person's name), which the page links; %d the row's
 * detail. An action without words here (a newer one) is shown by its
 * name: add its words when adding the action. Only the actions of a
 * workspace's log: an account's own (user.*) have no workspace, and are
 * shown to their person (mydata.h), not here.
 */
static const struct {
	const char	*action;
	const char	*words;
} words[] = {
	{ "ticket.create",		N_("opened %o") },
	{ "ticket.update",		N_("updated %o") },
	{ "comment.create",		N_("replied to %o") },
	{ "note.create",		N_("added an internal note to %o") },
	{ "member.invite",		N_("invited someone to the "
					    "workspace") },
	{ "invitation.revoke",		N_("revoked an invitation") },
	{ "invitation.accept",		N_("accepted an invitation") },
	{ "member.role_change",		N_("changed %o's role to %d") },
	{ "member.remove",		N_("removed %o from the workspace") },
	{ "member.leave",		N_("left the workspace") },
	{ "member.erase",		N_("erased the data of %o") },
	{ "workspace.create",		N_("created the workspace") },
	{ "workspace.join",		N_("joined the workspace") },
	{ "workspace.export",		N_("downloaded the workspace's data") },
	{ "settings.update",		N_("changed the workspace's "
					    "settings") },
	{ "audit.export",		N_("downloaded the audit log as %d") },
	{ "member.suspend",		N_("suspended %o's access") },
	{ "member.unsuspend",		N_("lifted the suspension of %o") },
	{ "hold.place",			N_("placed a legal hold") },
	{ "hold.lift",			N_("lifted a legal hold") },
	{ "settings.require_2fa",	N_("required two-factor sign-in of "
					    "agents and admins") },
	{ "settings.allow_without_2fa",	N_("stopped requiring two-factor "
					    "sign-in") },
	{ "limit.ticket_create",	N_("was held back: too many new "
					    "tickets") },
	{ "limit.reply",		N_("was held back: too many replies") },
	{ "limit.upload",		N_("was held back: too many files") },
	{ "limit.invite",		N_("was held back: too many "
					    "invitations") },
	{ "limit.join",			N_("was held back: too many joins") },
	{ "ticket.close",		N_("closed %o after its retention "
					    "period") },
	{ "ticket.anonymise",		N_("anonymised %o after its "
					    "retention period") },
	{ "ticket.delete",		N_("deleted a ticket after its "
					    "retention period") },
	{ "retention.purge",		N_("purged old records") },
	{ "mail.quarantine",		N_("kept a message in the mail "
					    "quarantine (%d)") },
	{ "settings.inbound_address",	N_("changed the address mail comes "
					    "in at") },
	{ "quarantine.release",		N_("released a quarantined message "
					    "as %o") },
	{ "quarantine.delete",		N_("deleted a quarantined message") },
	{ "quarantine.requester",	N_("made %o a requester, for a "
					    "released message") },
	{ NULL, NULL }
};

static const char *
words_of(const char *action)
{
	size_t i;

	for (i = 0; words[i].action; i++)
		if (strcmp(words[i].action, action) == 0)
			return words[i].words;
	return NULL;
}

struct json_object *
audit_actions(const char *selected)
{
	struct json_object *list = json_object_new_array(), *o;
	size_t i;

	for (i = 0; words[i].action; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "action",
		    json_object_new_string(words[i].action));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    str_eq(selected, words[i].action)));
		json_object_array_add(list, o);
	}
	return list;
}

/* "2026-11-30", a real day. */
static int
day_ok(const char *s)
{
	struct tm tm;
	const char *end;

	if (strlen(s) != 10)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	/* strptime takes 2026-02-31; the day must survive a round trip. */
	{
		struct tm t = tm;
		time_t when = timegm(&t);

		gmtime_r(&when, &t);
		return t.tm_mday == tm.tm_mday && tm.tm_year >= 70 &&
		    tm.tm_year < 200;
	}
}

/* An action's name: a-z, _ and dots, as the code writes them. */
static int
action_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && *s != '_' && *s != '.')
			return 0;
	return 1;
}

enum outcome
audit_filter_check(const struct audit_filter *f)
{
	if ((f->action && !action_ok(f->action)) ||
	    (f->from && !day_ok(f->from)) || (f->to && !day_ok(f->to)))
		return E_INVALID;
	return OK;
}

static const char *
field(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_get_type(v) == json_type_null)
		return NULL;
	return json_object_get_string(v);
}

static void
add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s ? s : ""));
}

/* Who acted, in words: the person, the program, or someone unknown. */
static void
actor_words(struct json_object *o, struct buf *b)
{
	const char *name = field(o, "actor_name"), *ip = field(o, "ip");

	if (name && *name)
		buf_puts(b, name);
	else if (field(o, "actor_id"))
		buf_puts(b, _("A deleted account"));
	else if ((ip == NULL || *ip == '\0') && field(o, "user_agent") &&
	    *field(o, "user_agent")) {
		buf_printf(b, _("The %s program"), field(o, "user_agent"));
	} else
		buf_puts(b, _("Someone"));
}

/* Adds before, object, after and words (the whole sentence) to row o. */
static void
describe(struct json_object *o)
{
	const char *w = words_of(field(o, "action")), *p, *d;
	const char *name = field(o, "object_name");
	struct buf pre = BUF_INIT, post = BUF_INIT, obj = BUF_INIT,
	    all = BUF_INIT, *cur = &pre;

	if (field(o, "number")) {
		buf_puts(&obj, "#");
		buf_puts(&obj, field(o, "number"));
	} else if (str_eq(field(o, "object_type"), "user"))
		buf_puts(&obj, name && *name ? name : _("an unknown account"));
	else if (field(o, "object_id")) {
		buf_puts(&obj, field(o, "object_type"));
		buf_puts(&obj, " ");
		buf_puts(&obj, field(o, "object_id"));
	}
	if (w != NULL)
		w = _(w);
	if (w == NULL) {
		/* No words yet: the action's name, then its object. */
		buf_puts(&pre, field(o, "action"));
		buf_puts(&pre, " ");
		w = "%o";
	}
	for (p = w; *p; p++) {
		if (p[0] == '%' && p[1] == 'o') {
			cur = &post;
			p++;
		} else if (p[0] == '%' && p[1] == 'd') {
			d = field(o, "detail");
			buf_puts(cur, d ? d : _("something"));
			p++;
		} else
			buf_putc(cur, *p);
	}
	if (cur == &pre)	/* words without an object */
		buf_reset(&obj);
	add_str(o, "before", buf_str(&pre));
	add_str(o, "object", buf_str(&obj));
	add_str(o, "after", buf_str(&post));
	actor_words(o, &all);
	buf_printf(&all, " %s%s%s", buf_str(&pre), buf_str(&obj),
	    buf_str(&post));
	add_str(o, "words", buf_str(&all));
	buf_free(&pre);
	buf_free(&post);
	buf_free(&obj);
	buf_free(&all);
}

/*
 * The plan of each filter (EXPLAIN at a million rows of one workspace,
 * MariaDB 10.11, sql/018-audit-usage.sql): none: audit_workspace
 * backwards; action: audit_ws_action; person, with an action or not:
 * audit_actor, the person's rows by id. With dates the page is ordered
 * by (created_at, id) and reads one range of audit_ws_time, or of
 * audit_ws_actor_time for a person; an action is then a filter on it.
 * That index is forced: for a range it estimates as a large part of the
 * log, the optimizer would rather walk an id index backwards past every
 * newer row (1.4 s at a million rows, against 0.09). A dated page
 * continues below the time and id of the last row shown (before).
 */
struct json_object *
audit_page(const struct actor *a, const struct audit_filter *f,
    long long before, int n, long long *older)
{
	char device[USERAGENT_WORDS];
	struct json_object *rows, *o;
	struct dbargs *args = dbargs_new();
	struct buf sql = BUF_INIT;
	struct dbres *res;
	const char *ua, *ip;
	char *at = NULL;
	size_t i, len;
	int dated = f->from || f->to;
	int rc;

	*older = 0;
	if (dated && before != LLONG_MAX) {
		/* The time of the row the last page ended with. */
		if ((res = db_query("SELECT DATE_FORMAT(created_at,"
		    " '%Y-%m-%d %H:%i:%s') FROM audit_log WHERE id = ?"
		    " AND workspace_id = ?", "ii", before, a->ws_id)) == NULL) {
			dbargs_free(args);
			return NULL;
		}
		if ((rc = db_next(res)) == 1)
			at = xstrdup(db_str(res, 0));
		db_free(res);
		if (rc == -1) {
			dbargs_free(args);
			return NULL;
		}
		if (at == NULL) {	/* no such row here: nothing below it */
			dbargs_free(args);
			return json_object_new_array();
		}
	}
	buf_puts(&sql, "SELECT a.id,"
	    " DATE_FORMAT(a.created_at, '%Y-%m-%d %H:%i:%s') AS time,"
	    " a.action, a.detail, a.actor_id, u.name AS actor_name,"
	    " u.email AS actor_email, a.object_type, a.object_id,"
	    " COALESCE(t.number, ct.number) AS number,"
	    " ou.name AS object_name, a.ip, a.user_agent FROM audit_log a");
	if (dated)
		buf_puts(&sql, f->person ? " FORCE INDEX (audit_ws_actor_time)" :
		    " FORCE INDEX (audit_ws_time)");
	buf_puts(&sql, " LEFT JOIN users u ON u.id = a.actor_id"
	    /* The object by what the pages call it: a ticket's number (a
	     * reply's ticket's), a person's name. Primary-key probes, at
	     * most a page's worth. */
	    " LEFT JOIN tickets t ON a.object_type = 'ticket'"
	    " AND t.id = a.object_id AND t.workspace_id = a.workspace_id"
	    " LEFT JOIN comments c ON a.object_type = 'comment'"
	    " AND c.id = a.object_id AND c.workspace_id = a.workspace_id"
	    " LEFT JOIN tickets ct ON ct.id = c.ticket_id"
	    " LEFT JOIN users ou ON a.object_type = 'user'"
	    " AND ou.id = a.object_id"
	    " WHERE a.workspace_id = ?");
	dbargs_int(args, a->ws_id);
	if (f->person) {
		buf_puts(&sql, " AND a.actor_id = ?");
		dbargs_int(args, f->person);
	}
	if (f->action) {
		buf_puts(&sql, " AND a.action = ?");
		dbargs_str(args, f->action);
	}
	if (f->from) {
		buf_puts(&sql, " AND a.created_at >= ?");
		dbargs_str(args, f->from);
	}
	if (f->to) {
		buf_puts(&sql, " AND a.created_at < DATE_ADD(?, INTERVAL 1 DAY)");
		dbargs_str(args, f->to);
	}
	if (dated) {
		if (at) {
			buf_puts(&sql, " AND (a.created_at < ? OR"
			    " (a.created_at = ? AND a.id < ?))");
			dbargs_str(args, at);
			dbargs_str(args, at);
			dbargs_int(args, before);
		}
		buf_puts(&sql, " ORDER BY a.created_at DESC, a.id DESC"
		    " LIMIT ?");
	} else {
		buf_puts(&sql, " AND a.id < ? ORDER BY a.id DESC LIMIT ?");
		dbargs_int(args, before);
	}
	dbargs_int(args, (long long)n + 1);
	res = db_query_args(buf_str(&sql), args);
	buf_free(&sql);
	dbargs_free(args);	/* strings referenced: at lives until here */
	free(at);
	if (res == NULL)
		return NULL;
	rows = db_page_json(res, n, older);
	db_free(res);
	if (rows == NULL)
		return NULL;
	for (i = 0, len = json_object_array_length(rows); i < len; i++) {
		o = json_object_array_get_idx(rows, i);
		describe(o);
		ua = field(o, "user_agent");
		ip = field(o, "ip");
		if (ip && *ip)
			useragent_words(ua ? ua : "", ua ? strlen(ua) : 0,
			    device, sizeof(device));
		else
			device[0] = '\0';	/* a program: no browser */
		add_str(o, "device", device);
	}
	return rows;
}
