/*
 * quarantine: the site operator's view of mail that reached no
 * workspace (quarantine.h: workspace_id NULL), which no workspace's
 * admin sees. Installed as helpdesk-quarantine; run as the user that
 * may read the configuration.
 *
 *	helpdesk-quarantine list		one line per message
 *	helpdesk-quarantine show ID		its headers, why, its text
 *	helpdesk-quarantine original ID	the message as it arrived
 *	helpdesk-quarantine delete ID		deletes it (audited)
 *
 * list prints "ID<TAB>RECEIVED<TAB>FROM<TAB>SIZE<TAB>REASON<TAB>SUBJECT",
 * each field with its tabs and line breaks made spaces. Such mail is
 * deleted by helpdesk-retention after retention_quarantine_days like
 * any other; a message meant for a workspace is best delivered again
 * once that workspace's inbound address is set (docs/decisions.md,
 * "Quarantine").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "config.h"
#include "db.h"
#include "quarantine.h"
#include "util.h"

static void
usage(void)
{
	fprintf(stderr, "usage: quarantine list | show ID | original ID | "
	    "delete ID\n");
	exit(2);
}

/* Text from a message, on one line of a terminal: controls (tabs and
 * line breaks too) become spaces, so a subject cannot forge a line. */
static void
put_field(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static const char *
get(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) : "";
}

static int
list(void)
{
	static const char *const keys[] = { "id", "received", "from_addr",
	    "size", "reason", "subject" };
	struct json_object *rows, *o;
	size_t i, k, n;

	if ((rows = quarantine_site_list()) == NULL) {
		fprintf(stderr, "quarantine: the database failed\n");
		return 1;
	}
	for (i = 0, n = json_object_array_length(rows); i < n; i++) {
		o = json_object_array_get_idx(rows, i);
		for (k = 0; k < nitems(keys); k++) {
			if (k > 0)
				putchar('\t');
			put_field(get(o, keys[k]));
		}
		putchar('\n');
	}
	json_object_put(rows);
	return 0;
}

static int
show(long long id)
{
	static const char *const keys[] = { "received", "from_name",
	    "from_addr", "subject", "message_id", "size_label", "reason" };
	struct json_object *o;
	enum outcome rc;
	size_t k;

	if ((rc = quarantine_site_load(id, &o)) != OK) {
		fprintf(stderr, "quarantine: %s\n", rc == E_NOT_FOUND ?
		    "no such message of no workspace" : "the database failed");
		return 1;
	}
	for (k = 0; k < nitems(keys); k++) {
		printf("%s: ", keys[k]);
		put_field(get(o, keys[k]));
		putchar('\n');
	}
	printf("body: %s\n", json_object_object_get_ex(o, "body", NULL) ?
	    "kept (see the original for the text)" : "could not be read");
	json_object_put(o);
	return 0;
}

static int
out_write(void *arg, const void *p, size_t n)
{
	return fwrite(p, 1, n, arg) == n ? 0 : -1;
}

static int
original(long long id)
{
	struct json_object *o, *v;
	enum outcome rc;
	long long size;

	if ((rc = quarantine_site_load(id, &o)) != OK) {
		fprintf(stderr, "quarantine: %s\n", rc == E_NOT_FOUND ?
		    "no such message of no workspace" : "the database failed");
		return 1;
	}
	json_object_object_get_ex(o, "size", &v);
	size = json_object_get_int64(v);
	json_object_put(o);
	if (quarantine_send(-1, id, size, out_write, stdout) == -1 ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "quarantine: message %lld could not be read "
		    "or written whole\n", id);
		return 1;
	}
	return 0;
}

static int
delete(long long id)
{
	struct actor a;
	enum outcome rc;

	actor_system(&a, "quarantine", NULL);
	rc = db_begin() == -1 ? db_error() : quarantine_site_delete(&a, id);
	if (rc == OK && db_commit() == -1)
		rc = db_error();
	if (rc != OK) {
		db_rollback();
		fprintf(stderr, "quarantine: %s\n", rc == E_NOT_FOUND ?
		    "no such message of no workspace" : "the database failed");
		return 1;
	}
	printf("deleted %lld\n", id);
	return 0;
}

int
main(int argc, char **argv)
{
	long long id = 0;
	int rc;

	if (argc == 2 && strcmp(argv[1], "list") == 0)
		;
	else if (argc == 3 && (strcmp(argv[1], "show") == 0 ||
	    strcmp(argv[1], "original") == 0 ||
	    strcmp(argv[1], "delete") == 0)) {
		if (parse_int(argv[2], 1, LLONG_MAX, &id) == -1)
			usage();
	} else
		usage();
	if (config_load() == -1) {
		fprintf(stderr, "quarantine: not started: fix the "
		    "configuration\n");
		return 1;
	}
	if (strcmp(argv[1], "list") == 0)
		rc = list();
	else if (strcmp(argv[1], "show") == 0)
		rc = show(id);
	else if (strcmp(argv[1], "original") == 0)
		rc = original(id);
	else
		rc = delete(id);
	db_close();
	return rc;
}
