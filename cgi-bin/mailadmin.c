/*
 * mailadmin: a workspace's quarantine of incoming mail (quarantine.h),
 * for its admins: the list, one message (its headers as parsed, why it
 * is there, its body as kept), the original as a download, and two
 * actions, each behind an "I understand" box: release it into a ticket,
 * or delete it. Every route is R_WS with P_SETTINGS: the core has
 * answered 404 to outsiders and 403 to other roles, and the model reads
 * only this workspace's messages, so another's id is a 404.
 *
 * The workspace's inbound address is set on the settings page
 * (cgi-bin/admin.c), which also counts what waits here.
 */
#include <limits.h>
#include <stdio.h>

#include "app.h"
#include "attachments.h"
#include "i18n.h"
#include "quarantine.h"
#include "workspaces.h"

/* The box each action's form has: "1" when ticked. */
static const struct field confirm_fields[] = {
	{ "confirm", "I understand", F_TEXT, 0, 0, 1 },
	{ NULL, NULL, 0, 0, 0, 0 }
};

static int
list(struct req *r)
{
	const char *q = req_query(r, "before");
	long long before = LLONG_MAX, next;
	struct json_object *c, *rows;
	enum outcome rc;
	char *inbound;

	if (q != NULL && parse_int(q, 1, LLONG_MAX, &before) == -1)
		return error_page(r, 400, _("That page of the list does not "
		    "exist."));
	if ((rc = ws_inbound_address(r->ws->id, &inbound)) != OK)
		return outcome_page(r, rc);
	if ((rows = quarantine_list(&r->actor, before, &next)) == NULL) {
		free(inbound);
		return db_unavailable(r);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Quarantine"));
	ctx_str(c, "inbound_address", inbound);
	free(inbound);
	json_object_object_add(c, "rows", rows);
	if (next)
		json_object_object_add(c, "older",
		    json_object_new_int64(next));
	json_object_object_add(c, "paged", json_object_new_boolean(q != NULL));
	return page(r, 200, "admin/quarantine", c);
}

/* The message's page: with a form's refusal (f, msg; action: which
 * form) or none. */
static int
message_page(struct req *r, int status, struct form *f, const char *msg,
    const char *action)
{
	struct json_object *c, *m;
	enum outcome rc;

	if ((rc = quarantine_load(&r->actor, req_param_id(r, "id"),
	    &m)) != OK) {
		if (f)
			form_end(f);
		return outcome_page(r, rc);
	}
	c = page_ctx(r);
	ctx_str(c, "title", _("Quarantined message"));
	json_object_object_add(c, "m", m);
	if (action)
		ctx_str(c, "refused", action);
	if (f)
		return form_page(r, status, "admin/quarantine-message", c, f,
		    msg);
	return page(r, status, "admin/quarantine-message", c);
}

static int
show(struct req *r)
{
	return message_page(r, 200, NULL, NULL, NULL);
}

/* quarantine_send's writer: the response body. */
static int
body_write(void *arg, const void *p, size_t n)
{
	return resp_write(arg, p, n);
}

/* The message exactly as it arrived, streamed a chunk at a time. */
static int
original(struct req *r)
{
	long long id = req_param_id(r, "id"), size;
	struct buf cd = BUF_INIT;
	enum outcome rc;
	char name[48];

	if ((rc = quarantine_size(&r->actor, id, &size)) != OK)
		return outcome_page(r, rc);
	snprintf(name, sizeof(name), "message-%lld.eml", id);
	content_disposition(&cd, name);
	resp_header(r, "Content-Disposition", buf_str(&cd));
	resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	buf_free(&cd);
	r->status = 200;
	r->content_type = "message/rfc822";
	r->csp = "default-src 'none'; sandbox";
	/* The head is out: a failure now can only cut the body short. */
	if (resp_begin(r, size) == 0 && r->method != M_HEAD &&
	    quarantine_send(r->ws->id, id, size, body_write, r) == -1)
		resp_abort(r, "a quarantined message could not be read whole");
	return 0;
}

/* Reads the action's form: 1 when its box was ticked, else 0 with the
 * page set (f let go). */
static int
confirmed(struct req *r, struct form *f, const char *action,
    const char *what)
{
	char msg[160];

	form_begin(f);
	if (form_read(r, confirm_fields, f) == 0 &&
	    str_eq(req_form(r, "confirm"), "1"))
		return 1;
	/* what: N_("released"), N_("deleted"). */
	snprintf(msg, sizeof(msg), _("Nothing was %s: tick \"I understand\" "
	    "beside the button to confirm."), _(what));
	form_refuse(f, "confirm", _("Tick this box to confirm."));
	message_page(r, 400, f, msg, action);
	return 0;
}

static int
release(struct req *r)
{
	long long number;
	char rest[64];
	enum outcome rc;
	struct form f;

	if (!confirmed(r, &f, "release", N_("released")))
		return 0;
	form_end(&f);
	rc = db_begin() == -1 ? db_error() : quarantine_release(&r->actor,
	    req_param_id(r, "id"), &number);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_QUARANTINE_RELEASED, number);
	snprintf(rest, sizeof(rest), "/tickets/%lld", number);
	return redirect_ws(r, r->ws->slug, rest);
}

static int
delete(struct req *r)
{
	enum outcome rc;
	struct form f;

	if (!confirmed(r, &f, "delete", N_("deleted")))
		return 0;
	form_end(&f);
	rc = db_begin() == -1 ? db_error() : quarantine_delete(&r->actor,
	    req_param_id(r, "id"));
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK)
		return outcome_page(r, rc);
	flash(r, FLASH_QUARANTINE_DELETED, 0);
	return redirect_ws(r, r->ws->slug, "/admin/mail/quarantine");
}

static const struct route routes[] = {
	{ M_GET, "/w/:slug/admin/mail/quarantine", list, R_WS, P_SETTINGS },
	{ M_GET, "/w/:slug/admin/mail/quarantine/:id", show, R_WS,
	    P_SETTINGS },
	{ M_GET, "/w/:slug/admin/mail/quarantine/:id/original", original,
	    R_WS, P_SETTINGS },
	{ M_POST, "/w/:slug/admin/mail/quarantine/:id/release", release,
	    R_WS, P_SETTINGS },
	{ M_POST, "/w/:slug/admin/mail/quarantine/:id/delete", delete, R_WS,
	    P_SETTINGS },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
