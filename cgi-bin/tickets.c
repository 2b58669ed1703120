/*
 * tickets: the queue, opening a ticket, the ticket page with its thread,
 * triage (status, priority, assignee, tags) and replies: public comments
 * and internal notes, with attachments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "attachments.h"
#include "audit.h"
#include "firstrun.h"
#include "holds.h"
#include "i18n.h"
#include "kv.h"
#include "parse.h"
#include "tickets.h"
#include "workspaces.h"

#define BODY_MAX	100000

static const struct field new_fields[] = {
	{ "subject", N_("Subject"), F_TEXT, 1, 1, 200 },
	{ "body", N_("Description"), F_MARKDOWN, 1, 1, BODY_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* Agents and admins may open a ticket on behalf of a member. */
static const struct field on_behalf_fields[] = {
	{ "requester", N_("Requester email"), F_EMAIL, 0, 3, 254 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct field comment_fields[] = {
	{ "body", N_("Reply"), F_MARKDOWN, 1, 1, BODY_MAX },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static const struct fkind statuses =
    F_ENUM(status_parse, N_("Choose a status from the list."));
static const struct fkind priorities =
    F_ENUM(priority_parse, N_("Choose a priority from the list."));
static const struct fkind assignees =
    F_ID_OF(N_("Choose an assignee from the list."));

/* The first refusal is the one the page shows: fields in the order a
 * person would fix them. */
static const struct field triage_fields[] = {
	{ "version", NULL, F_INT, 1, 1, (size_t)1 << 31 },
	{ "status", N_("Status"), &statuses, 1, 0, 0 },
	{ "priority", N_("Priority"), &priorities, 1, 0, 0 },
	{ "assignee", N_("Assignee"), &assignees, 0, 0, 0 },
	{ "tags", N_("Tags"), F_TEXT, 0, 0, 500 },
	{ "cc", N_("Copied"), F_TEXT, 0, 0, 2000 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

/* [{value, label, selected}] for a select, from a name function. */
static struct json_object *
options(const char *(*name)(int), int max, const char *selected)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 1; i < max; i++) {
		struct json_object *o = json_object_new_object();

		ctx_str(o, "value", name(i));
		/* The word shown: statuses and priorities are N_() in
		 * lib/web/response.c's value_words. */
		ctx_str(o, "label", _(name(i)));
		json_object_object_add(o, "selected",
		    json_object_new_boolean(str_eq(name(i), selected)));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- the queue ------------------------------------------------------------ */

static long long
assignee_filter(struct req *r, const char *v)
{
	long long id;

	if (v == NULL || *v == '\0')
		return 0;
	if (strcmp(v, "me") == 0)
		return r->user->id;
	if (strcmp(v, "none") == 0)
		return -1;
	return parse_int(v, 1, (long long)1 << 62, &id) == 0 ? id : 0;
}

/*
 * A link to a page of this view: every filter that applied and the sort,
 * and the cursor (key "after" or "before"; NULL: the first page). With
 * no filter at all, view=all keeps a default view (queue_view) from
 * replacing the whole queue.
 */
static char *
page_url(struct req *r, const struct queue_filter *f, const char *key,
    const char *cursor)
{
	struct buf u = BUF_INIT;
	const struct { const char *key; int applies; } keep[] = {
		{ "status", f->status != 0 },
		{ "priority", f->priority != 0 },
		{ "assignee", f->assignee != 0 },
		{ "requester", f->requester != 0 },
		{ "tag", f->tag != NULL },
		{ "sort", f->sort != NULL },
		{ "q", f->q != NULL },
	};
	char sep = '?';
	size_t i;

	buf_printf(&u, "/w/%s/tickets", r->ws->slug);
	for (i = 0; i < nitems(keep); i++) {
		const char *v = req_query(r, keep[i].key);

		if (keep[i].applies && v && *v) {
			buf_printf(&u, "%c%s=", sep, keep[i].key);
			url_escape(&u, v);
			sep = '&';
		}
	}
	if (key) {
		buf_printf(&u, "%c%s=", sep, key);
		url_escape(&u, cursor);
		sep = '&';
	}
	if (sep == '?' && r->user->queue_view[0])
		buf_puts(&u, "?view=all");
	return buf_detach(&u);
}

/* What the search left out of the words typed, to say so on the page. */
static void
search_notes(struct json_object *c, const char *q)
{
	int dropped = search_dropped(q);
	char note[160];

	if (dropped & SEARCH_MANY) {
		snprintf(note, sizeof(note), _("Only the first %d words were "
		    "searched."), SEARCH_MAX_WORDS);
		ctx_str(c, "search_many", note);
	}
	if (dropped & SEARCH_SHORT) {
		snprintf(note, sizeof(note), _("Words shorter than %d "
		    "characters are not searched."), SEARCH_MIN_CHARS);
		ctx_str(c, "search_short", note);
	}
}

/* n with its thousands grouped: "1,000". */
static void
grouped(char *out, size_t size, long long n)
{
	char digits[24];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%lld", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* Puts s, a translated text, into c as key with "{n}" replaced by num, so
 * that no format string comes from a catalogue. */
static void
ctx_n(struct json_object *c, const char *key, const char *s,
    const char *num)
{
	struct buf b = BUF_INIT;
	const char *at;

	if ((at = strstr(s, "{n}")) != NULL) {
		buf_add(&b, s, (size_t)(at - s));
		buf_puts(&b, num);
		buf_puts(&b, at + 3);
	} else
		buf_puts(&b, s);
	ctx_str(c, key, buf_str(&b));
	buf_free(&b);
}

/* "12 tickets", "1 ticket", "More than 1,000 tickets". */
static void
count_text(struct json_object *c, long long n, int more)
{
	char num[32];

	grouped(num, sizeof(num), n);
	ctx_n(c, "count", more ? _("More than {n} tickets") :
	    trn("{n} ticket", "{n} tickets", (unsigned long)n), num);
}

/* The folded filters' summary: "Filters", "Filters (2 active)". */
static void
filters_text(struct json_object *c, int active)
{
	char num[32];

	snprintf(num, sizeof(num), "%d", active);
	ctx_n(c, "filters_label", active ? trn("Filters ({n} active)",
	    "Filters ({n} active)", (unsigned long)active) : _("Filters"),
	    num);
}

/*
 * A signed-in person's default view (queue_view, a query string) when
 * the queue is opened with no query string at all, read exactly as if it
 * were given; a malformed one is ignored. Any query, view=all among
 * them, shows what it says instead.
 */
static void
default_view(struct req *r)
{
	struct kvlist v = KVLIST_INIT;
	const char *qv = r->user->queue_view;
	size_t i;

	if (r->query.n > 0 || qv[0] == '\0')
		return;
	if (urlencoded_parse(qv, strlen(qv), &v, 32) == -1)
		goto bad;
	for (i = 0; i < v.n; i++)
		if (!text_valid(v.v[i].value, v.v[i].vlen))
			goto bad;
	kv_free(&r->query);
	r->query = v;
	return;
bad:
	kv_free(&v);
}

/* The filters folded on a phone (queue.html), and how many apply. */
static int
filters_active(const struct queue_filter *f)
{
	return (f->status != 0) + (f->priority != 0) + (f->assignee != 0) +
	    (f->requester != 0) + (f->tag != NULL && *f->tag != '\0');
}

/* The page links: first, previous and next, each keeping the view (the
 * filters that applied: queue_filter_scope). */
static void
pager(struct req *r, struct json_object *c, const struct queue_filter *f,
    const char *next, const char *prev)
{
	char *u;

	/* After a cursor, even one past the end, there is a way back. */
	if (prev || (f->after && *f->after)) {
		u = page_url(r, f, NULL, NULL);
		ctx_str(c, "first", u);
		free(u);
	}
	if (prev) {
		u = page_url(r, f, "before", prev);
		ctx_str(c, "prev", u);
		free(u);
	}
	if (next) {
		u = page_url(r, f, "after", next);
		ctx_str(c, "next", u);
		free(u);
	}
}

static int
queue(struct req *r)
{
	struct queue_filter f;
	struct json_object *c, *rows, *counts, *filters;
	long long id, total;
	char *next = NULL, *prev = NULL, *u;
	int active, more;

	default_view(r);
	memset(&f, 0, sizeof(f));
	f.status = status_parse(req_query(r, "status"));
	f.priority = priority_parse(req_query(r, "priority"));
	f.assignee = assignee_filter(r, req_query(r, "assignee"));
	if (parse_int(req_query(r, "requester"), 1, (long long)1 << 62,
	    &id) == 0)
		f.requester = id;
	f.tag = req_query(r, "tag");
	f.sort = req_query(r, "sort");
	f.after = req_query(r, "after");
	f.before = req_query(r, "before");
	f.q = req_query(r, "q");
	/* The page shows and keeps only the filters that apply. */
	queue_filter_scope(&r->actor, &f);
	if ((rows = ticket_queue(&r->actor, &f, &next, &prev,
	    cfg.queue_count_max, &total, &more)) == NULL)
		return db_unavailable(r);
	/* The count of the whole queue, or of one status, is the status
	 * counts' own: no statement for it. */
	if ((counts = ticket_counts(&r->actor)) == NULL || (total == -1 &&
	    !ticket_queue_count_known(&r->actor, &f, counts,
	    cfg.queue_count_max, &total, &more) &&
	    ticket_queue_count(&r->actor, &f, cfg.queue_count_max,
	    &total, &more) == -1)) {
		json_object_put(counts);
		json_object_put(rows);
		free(next);
		free(prev);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	filters = json_object_new_object();
	ctx_str(filters, "status", status_name(f.status));
	ctx_str(filters, "priority", priority_name(f.priority));
	if (f.assignee)
		ctx_str(filters, "assignee", req_query(r, "assignee"));
	if (f.requester)
		ctx_str(filters, "requester", req_query(r, "requester"));
	ctx_str(filters, "tag", f.tag);
	ctx_str(filters, "sort", f.sort ? f.sort : "updated");
	ctx_str(filters, "q", f.q);
	active = filters_active(&f);
	json_object_object_add(filters, "active",
	    json_object_new_int(active));
	json_object_object_add(c, "f", filters);
	json_object_object_add(c, "tickets", rows);
	/* Each status's word in the page's language, beside its value. */
	for (size_t i = 0; i < json_object_array_length(counts); i++) {
		struct json_object *o = json_object_array_get_idx(counts, i),
		    *v;

		if (json_object_object_get_ex(o, "name", &v))
			ctx_str(o, "label", _(json_object_get_string(v)));
	}
	json_object_object_add(c, "counts", counts);
	json_object_object_add(c, "statuses",
	    options(status_name, ST__MAX, status_name(f.status)));
	json_object_object_add(c, "priorities",
	    options(priority_name, PR__MAX, priority_name(f.priority)));
	search_notes(c, f.q);
	count_text(c, total, more);
	filters_text(c, active);
	pager(r, c, &f, next, prev);
	/* Clear filters: the whole queue, past any default view. */
	if (active > 0 || (f.q && *f.q)) {
		struct queue_filter none;

		memset(&none, 0, sizeof(none));
		u = page_url(r, &none, NULL, NULL);
		ctx_str(c, "clear", u);
		free(u);
	}
	free(next);
	free(prev);
	/* A workspace with no ticket yet: the next steps (firstrun.h). */
	if (first_run(r, c) == -1) {
		json_object_put(c);
		return db_unavailable(r);
	}
	/* The page's title is its heading (queue.html). */
	ctx_str(c, "title", can(r, P_TICKET_VIEW_ALL) ? _("Tickets") :
	    _("My tickets"));
	return page(r, 200, "tickets/queue", c);
}

/* ---- opening a ticket -------------------------------------------------------- */

/* "#37 Invoice PDF will not open": the ticket page's title, as its
 * heading says it, so a tab or a bookmark names the ticket. */
static void
ticket_title(struct json_object *c, long long num, struct json_object *t)
{
	struct json_object *v;
	struct buf title = BUF_INIT;

	/* A buf, not a fixed array: a subject is 200 characters, up to
	 * 800 bytes, and a cut would split one. */
	buf_printf(&title, "#%lld %s", num,
	    json_object_object_get_ex(t, "subject", &v) ?
	    json_object_get_string(v) : "");
	ctx_str(c, "title", buf_str(&title));
	buf_free(&title);
}

static int
redirect_ticket(struct req *r, long long num)
{
	char rest[40];

	snprintf(rest, sizeof(rest), "/tickets/%lld", num);
	return redirect_ws(r, r->ws->slug, rest);
}

static int
new_form(struct req *r)
{
	return page(r, 200, "tickets/new", page_ctx(r));
}

/* The requester of a new ticket: the caller, or for agents a member
 * named by email. OK, E_NOT_FOUND (no member has the email),
 * E_FORBIDDEN (the member's address is not confirmed), E_DB. */
static enum outcome
requester_of(struct req *r, long long *id)
{
	const char *email = req_form(r, "requester");

	*id = r->user->id;
	if (!can(r, P_TICKET_TRIAGE) || email == NULL || *email == '\0')
		return OK;
	return member_confirmed(r->ws->id, email, id);
}

static int
create(struct req *r)
{
	long long requester, id, num;
	enum outcome rc;
	struct form f;
	char msg[160];

	form_begin(&f);
	form_read(r, new_fields, &f);
	if (can(r, P_TICKET_TRIAGE))
		form_read(r, on_behalf_fields, &f);
	if (f.nerr > 0)
		return form_page(r, 400, "tickets/new", page_ctx(r), &f,
		    _("Please correct the marked fields."));
	if (r->upload_error)
		return form_page(r, 413, "tickets/new", page_ctx(r), &f,
		    r->upload_error);
	if ((rc = requester_of(r, &requester)) == E_NOT_FOUND) {
		form_refuse(&f, "requester", _("No member of this workspace "
		    "has that email."));
		return form_page(r, 400, "tickets/new", page_ctx(r), &f,
		    _("Please correct the marked fields."));
	}
	if (rc == E_FORBIDDEN) {
		form_refuse(&f, "requester", _("That member has not confirmed "
		    "their email address yet."));
		return form_page(r, 400, "tickets/new", page_ctx(r), &f,
		    _("Please correct the marked fields."));
	}
	if (rc != OK)
		return form_page(r, outcome_status(rc), "tickets/new",
		    page_ctx(r), &f, NULL);
	if ((rc = limit_check(r, RATE_TICKET_CREATE, msg, sizeof(msg))) ==
	    OK && r->uploads.n > 0)
		rc = limit_check(r, RATE_UPLOAD, msg, sizeof(msg));
	if (rc != OK)
		return form_page(r, outcome_status(rc), "tickets/new",
		    page_ctx(r), &f, rc == E_LIMITED ? msg : NULL);
	if (db_begin() == -1 ||
	    ticket_create(&r->actor, req_form(r, "subject"),
	    req_form(r, "body"), requester, &num, &id) != OK ||
	    attachments_save(&r->actor, &r->uploads, id, 0) != OK ||
	    audit(&r->actor, r->ws->id, 0, "ticket.create", "ticket",
	    id) != OK ||
	    db_commit() == -1)
		/* The form again, as typed (files must be chosen again). */
		return form_page(r, 503, "tickets/new", page_ctx(r), &f,
		    NULL);
	form_end(&f);
	flash(r, FLASH_TICKET_OPENED, num);
	return redirect_ticket(r, num);
}

/* ---- the ticket page --------------------------------------------------------- */

/* Hands each attachment to the message it belongs to. */
static void
place_attachments(struct json_object *ticket, struct json_object *thread,
    struct json_object *files)
{
	size_t i, j, n = json_object_array_length(files);
	struct json_object *opening = json_object_new_array();

	for (i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(files, i);
		struct json_object *cid;
		long long want;

		if (!json_object_object_get_ex(f, "comment_id", &cid) ||
		    cid == NULL) {
			json_object_array_add(opening, json_object_get(f));
			continue;
		}
		want = json_object_get_int64(cid);
		for (j = 0; j < json_object_array_length(thread); j++) {
			struct json_object *e =
			    json_object_array_get_idx(thread, j), *id, *list;

			if (!json_object_object_get_ex(e, "id", &id) ||
			    json_object_get_int64(id) != want)
				continue;
			if (!json_object_object_get_ex(e, "files", &list)) {
				list = json_object_new_array();
				json_object_object_add(e, "files", list);
			}
			json_object_array_add(list, json_object_get(f));
			break;
		}
	}
	json_object_object_add(ticket, "files", opening);
}

struct show_extra {
	int		 status;
	const char	*message;
	const char	*notice;
	struct json_object *reply;	/* what was typed in the reply form */
	struct json_object *triage;	/* what was chosen in the triage form */
	struct json_object *errors;
};

static int
show_page(struct req *r, long long num, struct show_extra *x)
{
	struct json_object *c, *t, *thread, *files, *tri, *v, *f;
	struct json_object *holds = NULL, *people = NULL;
	const char *st, *pr;
	enum outcome rc;

	if ((rc = ticket_load(&r->actor, num, &t)) != OK) {
		json_object_put(x->reply);
		json_object_put(x->triage);
		json_object_put(x->errors);
		return outcome_page(r, rc);
	}
	json_object_object_get_ex(t, "id", &v);
	thread = ticket_thread(&r->actor, json_object_get_int64(v));
	/* Most tickets have none: no statement for them. */
	files = json_object_object_get_ex(t, "has_attachments", &f) &&
	    json_object_get_boolean(f) ? attachments_json(&r->actor,
	    json_object_get_int64(v)) : json_object_new_array();
	if (can(r, P_TICKET_TRIAGE))
		people = ticket_assignees(&r->actor);
	/* Admins see why a ticket is kept back from retention and erasure. */
	if (can(r, P_HOLDS))
		holds = hold_ticket_reasons(&r->actor, json_object_get_int64(v));
	if (thread == NULL || files == NULL ||
	    (can(r, P_TICKET_TRIAGE) && people == NULL) ||
	    (can(r, P_HOLDS) && holds == NULL)) {
		json_object_put(holds);
		json_object_put(t);
		json_object_put(thread);
		json_object_put(files);
		json_object_put(x->reply);
		json_object_put(x->triage);
		json_object_put(x->errors);
		return db_unavailable(r);
	}
	place_attachments(t, thread, files);
	json_object_put(files);

	/* The triage form shows what was chosen (after a conflict or an
	 * error) or else the ticket as it is. */
	tri = x->triage ? x->triage : json_object_get(t);
	st = json_object_object_get_ex(tri, "status", &v) ?
	    json_object_get_string(v) : NULL;
	pr = json_object_object_get_ex(tri, "priority", &v) ?
	    json_object_get_string(v) : NULL;
	c = page_ctx(r);
	json_object_object_add(c, "statuses", options(status_name, ST__MAX, st));
	json_object_object_add(c, "priorities",
	    options(priority_name, PR__MAX, pr));
	if (people) {
		const char *chosen = json_object_object_get_ex(tri,
		    "assignee_id", &v) ? json_object_get_string(v) : NULL;
		struct json_object *a = NULL;
		size_t i;

		if (chosen == NULL && json_object_object_get_ex(t, "assignee",
		    &a) && a && json_object_object_get_ex(a, "id", &v))
			chosen = json_object_get_string(v);
		for (i = 0; i < json_object_array_length(people); i++) {
			struct json_object *p =
			    json_object_array_get_idx(people, i);

			json_object_object_get_ex(p, "id", &v);
			json_object_object_add(p, "selected",
			    json_object_new_boolean(str_eq(chosen,
			    json_object_get_string(v))));
		}
		json_object_object_add(c, "assignees", people);
	}
	json_object_object_add(c, "triage", tri);
	/* Folded on a phone, unless it holds what was chosen (show.html). */
	json_object_object_add(c, "triage_open",
	    json_object_new_boolean(x->triage != NULL));
	json_object_object_add(c, "holds", holds);
	json_object_object_add(c, "ticket", t);
	ticket_title(c, num, t);
	json_object_object_add(c, "thread", thread);
	json_object_object_add(c, "reply", x->reply);
	json_object_object_add(c, "errors", x->errors);
	ctx_str(c, "message", x->message);
	ctx_str(c, "notice", x->notice);
	return page(r, x->status ? x->status : 200, "tickets/show", c);
}

static int
show(struct req *r)
{
	struct show_extra x;
	long long num = req_param_id(r, "num");

	if (num == 0)
		return error_page(r, 404, NULL);
	memset(&x, 0, sizeof(x));
	return show_page(r, num, &x);
}

/* The id of ticket num, if visible: OK, E_NOT_FOUND, E_DB. */
static enum outcome
visible_id(struct req *r, long long num, long long *id)
{
	struct json_object *t, *v;
	enum outcome rc;

	if (num == 0)
		return E_NOT_FOUND;
	if ((rc = ticket_load(&r->actor, num, &t)) != OK)
		return rc;
	json_object_object_get_ex(t, "id", &v);
	*id = json_object_get_int64(v);
	json_object_put(t);
	return OK;
}

static int
reply(struct req *r)
{
	struct show_extra x;
	long long num = req_param_id(r, "num"), id, cid;
	int internal = str_eq(req_form(r, "internal"), "1");
	enum outcome rc;
	char msg[160];

	memset(&x, 0, sizeof(x));
	if ((rc = visible_id(r, num, &id)) != OK)
		return outcome_page(r, rc);
	if (internal && !can(r, P_NOTE))
		return error_page(r, 403, _("Your role in this workspace does "
		    "not allow internal notes."));
	x.reply = json_object_new_object();
	x.errors = json_object_new_object();
	json_object_object_add(x.reply, "internal",
	    json_object_new_boolean(internal));
	if (form_check(r, comment_fields, x.reply, x.errors) > 0) {
		x.status = 400;
		x.message = _("Please correct your reply.");
		return show_page(r, num, &x);
	}
	if (r->upload_error) {
		x.status = 413;
		x.message = r->upload_error;
		return show_page(r, num, &x);
	}
	/* The reply again as typed, saying when to try again. */
	if ((rc = limit_check(r, RATE_REPLY, msg, sizeof(msg))) == OK &&
	    r->uploads.n > 0)
		rc = limit_check(r, RATE_UPLOAD, msg, sizeof(msg));
	if (rc != OK) {
		x.status = outcome_status(rc);
		x.message = rc == E_LIMITED ? msg : db_unavailable_text();
		return show_page(r, num, &x);
	}
	if (db_begin() == -1 ||
	    comment_add(&r->actor, id, req_form(r, "body"), internal,
	    &cid) != OK ||
	    attachments_save(&r->actor, &r->uploads, id, cid) != OK ||
	    audit(&r->actor, r->ws->id, 0, internal ? "note.create" :
	    "comment.create", "comment", cid) != OK ||
	    db_commit() == -1) {
		/* The page again with the reply as typed, if it can be
		 * shown; otherwise the plain 503 page. */
		x.status = 503;
		x.message = db_unavailable_text();
		db_rollback();
		return show_page(r, num, &x);
	}
	json_object_put(x.reply);
	json_object_put(x.errors);
	flash(r, internal ? FLASH_NOTE_ADDED : FLASH_REPLY_SENT, 0);
	return redirect_ticket(r, num);
}

/*
 * Reads the triage form, checked by form_read, into ch: OK, E_INVALID with
 * *bad the reason (the typed form goes back with it), E_DB. Tags and
 * people copied come back normalised in *tags and *cc (caller frees).
 */
static enum outcome
read_triage(struct req *r, struct form *f, struct ticket_change *ch,
    char **tags, char **cc, const char **bad)
{
	enum outcome rc;
	long long a;

	memset(ch, 0, sizeof(*ch));
	*tags = *cc = NULL;
	if (form_read(r, triage_fields, f) > 0) {
		*bad = form_first_error(f);
		return E_INVALID;
	}
	ch->status = (int)form_int(f, "status");
	ch->priority = (int)form_int(f, "priority");
	/* Whether the member may be assigned is the model's to say, and a
	 * database that cannot say is not the user's mistake. */
	if ((a = form_int(f, "assignee")) == 0)
		ch->assignee = -1;
	else if ((rc = ticket_assignee_ok(&r->actor, a)) == OK)
		ch->assignee = a;
	else {
		*bad = assignees.refused;
		return rc == E_NOT_FOUND ? E_INVALID : rc;
	}
	if ((*tags = tags_normalize(req_form(r, "tags"))) == NULL) {
		*bad = _("Tags are up to 10 words of letters, digits, - and _, "
		    "separated by commas or spaces.");
		return E_INVALID;
	}
	ch->tags = *tags;
	if ((rc = cc_normalize(&r->actor, req_form(r, "cc"), cc, bad)) != OK)
		return rc;
	ch->cc = *cc;
	return OK;
}

/* What the triage form held, to show it again. */
static struct json_object *
typed_triage(struct req *r)
{
	struct json_object *o = json_object_new_object();

	ctx_str(o, "status", req_form(r, "status"));
	ctx_str(o, "priority", req_form(r, "priority"));
	ctx_str(o, "assignee_id", req_form(r, "assignee"));
	ctx_str(o, "tags", req_form(r, "tags"));
	ctx_str(o, "cc", req_form(r, "cc"));
	return o;
}

/* The ticket page again with the triage form as typed. */
static int
triage_again(struct req *r, long long num, int status, const char *msg)
{
	struct show_extra x;

	memset(&x, 0, sizeof(x));
	x.status = status;
	x.message = msg;
	x.triage = typed_triage(r);
	return show_page(r, num, &x);
}

static int
triage(struct req *r)
{
	struct ticket_change ch;
	long long num = req_param_id(r, "num"), id;
	const char *bad = NULL;
	enum outcome rc;
	struct form f;
	char *tags, *cc;

	if ((rc = visible_id(r, num, &id)) != OK)
		return outcome_page(r, rc);
	form_begin(&f);
	rc = read_triage(r, &f, &ch, &tags, &cc, &bad);
	if (rc == OK)
		rc = db_begin() == -1 ? db_error() :
		    ticket_update(&r->actor, id, form_int(&f, "version"), &ch);
	free(tags);
	free(cc);
	switch (rc) {
	case OK:
		form_end(&f);
		break;
	case E_INVALID:
		db_rollback();
		/* bad may be f's own: the page first, then the form. */
		triage_again(r, num, 400, bad ? bad : assignees.refused);
		form_end(&f);
		return 0;
	case E_CONFLICT:
		form_end(&f);
		db_rollback();
		return triage_again(r, num, 409, _("Someone else changed this "
		    "ticket while you were editing it. The ticket below is as "
		    "it is now; the form still holds your choices. Save again "
		    "to apply them."));
	default:
		form_end(&f);
		return outcome_page(r, rc);
	}
	if (audit(&r->actor, r->ws->id, 0, "ticket.update", "ticket",
	    id) != OK ||
	    db_commit() == -1)
		return db_unavailable(r);
	flash(r, FLASH_TRIAGE_SAVED, 0);
	return redirect_ticket(r, num);
}

static const struct route routes[] = {
	{ M_GET, "/w/:slug/tickets", queue, R_WS, P_NONE },
	{ M_GET, "/w/:slug/tickets/new", new_form, R_WS, P_TICKET_CREATE },
	{ M_POST, "/w/:slug/tickets/new", create, R_WS, P_TICKET_CREATE },
	{ M_GET, "/w/:slug/tickets/:num", show, R_WS, P_NONE },
	{ M_POST, "/w/:slug/tickets/:num", triage, R_WS, P_TICKET_TRIAGE },
	{ M_POST, "/w/:slug/tickets/:num/comments", reply, R_WS, P_COMMENT },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
