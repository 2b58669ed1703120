/*
 * export: "Download my data" (POST /account/export, from the account
 * page) and a whole workspace (POST /w/SLUG/admin/export, admins, from
 * the workspace's settings page): one zip archive each, made while it is
 * sent (lib/domain/export.h; the format is docs/export.md).
 *
 * Each export is audited, and the row committed, before the first byte:
 * a database that fails then gets its 503 page and nothing is sent.
 * Once the head is out the status cannot change, so a failure after it
 * cuts the download off (resp_abort) and leaves the archive without its
 * end: no unzip takes it for whole. The only program that links
 * libarchive.
 */
#include <stdio.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "export.h"
#include "i18n.h"

/* The exports' writer: the response body. */
static int
body_write(void *arg, const void *p, size_t n)
{
	return resp_write(arg, p, n);
}

/* "helpdesk-NAME-2026-11-30.zip" */
static void
archive_name(char *out, size_t outsz, const char *name)
{
	char day[16];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	snprintf(out, outsz, "helpdesk-%s-%s.zip", name, day);
}

/* The audit row, committed: OK, or why not (the caller's 503). */
static enum outcome
audited(struct req *r, long long ws_id, const char *action,
    const char *object_type, long long object_id)
{
	enum outcome rc;

	if (db_begin() == -1)
		return db_error();
	if ((rc = audit(&r->actor, ws_id, 0, action, object_type,
	    object_id)) != OK)
		return rc;
	return db_commit() == -1 ? db_error() : OK;
}

static int
export_mine(struct req *r)
{
	char name[96];
	enum outcome rc;

	if ((rc = audited(r, 0, "user.export", "user", r->user->id)) != OK)
		return outcome_page(r, rc);
	archive_name(name, sizeof(name), "my-data");
	r->content_type = "application/zip";
	if (resp_begin_download(r, name) == -1)
		return 0;
	if (export_user(&r->actor, body_write, r) == -1)
		resp_abort(r, "the export failed (logged above)");
	return 0;
}

static int
export_ws(struct req *r)
{
	char name[96];
	enum outcome rc;

	if ((rc = audited(r, r->ws->id, "workspace.export", "workspace",
	    r->ws->id)) != OK)
		return outcome_page(r, rc);
	archive_name(name, sizeof(name), r->ws->slug);
	r->content_type = "application/zip";
	if (resp_begin_download(r, name) == -1)
		return 0;
	if (export_workspace(&r->actor, body_write, r) == -1)
		resp_abort(r, "the export failed (logged above)");
	return 0;
}

static const struct route routes[] = {
	{ M_POST, "/account/export", export_mine, R_AUTH, 0 },
	/* Everything of the workspace, its members' addresses and its
	 * log included: what only its admins may see (P_SETTINGS). */
	{ M_POST, "/w/:slug/admin/export", export_ws, R_WS, P_SETTINGS },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(int argc, char **argv)
{
	return app_main(argc, argv, routes);
}
