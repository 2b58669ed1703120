/*
 * policy: the policy and terms pages' HTML, made once per process from
 * the configured Markdown files, and the record of who saw which version.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "markdown.h"
#include "policy.h"
#include "util.h"

#define CONTACT_MARK	"{contact_email}"

static char *policy;
static char *terms;

const char *
policy_contact(void)
{
	return *cfg.contact_email != '\0' ? cfg.contact_email : cfg.mail_from;
}

/* The whole file at path into b, NUL-terminated: 0, or -1 with why. */
static int
read_file(const char *path, struct buf *b, char *err, size_t errsz)
{
	char chunk[8192];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > POLICY_FILE_MAX) {
			snprintf(err, errsz, "%s: larger than %d bytes", path,
			    POLICY_FILE_MAX);
			fclose(f);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);

	return 0;
}

/*
 * src with every CONTACT_MARK replaced by the contact address, each of
 * its punctuation characters backslash-escaped so that Markdown prints it
 * as it is ("a_b_c@x" is not emphasis). Without an address, a sentence.
 */
static void
put_contact(struct buf *out, const char *src)
{
	const char *c = policy_contact(), *p;

	while ((p = strstr(src, CONTACT_MARK)) != NULL) {
		buf_add(out, src, (size_t)(p - src));
		if (*c == '\0')
			buf_puts(out, "the operator of this service (no "
			    "contact address is configured)");
		for (; *c != '\0'; c++) {
			if (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *c))
				buf_putc(out, '\\');
			buf_putc(out, *c);
		}
		c = policy_contact();
		src = p + strlen(CONTACT_MARK);
	}
	buf_puts(out, src);
}

static int
render(const char *path, char **html, char *err, size_t errsz)
{
	struct buf raw = BUF_INIT, src = BUF_INIT;
	enum md_status st;
	int rc = -1;

	if (read_file(path, &raw, err, errsz) == -1)
		goto out;
	if (strlen(buf_str(&raw)) != raw.len) {
		snprintf(err, errsz, "%s: holds a NUL byte", path);
		goto out;
	}
	put_contact(&src, buf_str(&raw));
	if ((st = markdown_render(buf_str(&src), html)) != MD_OK) {
		snprintf(err, errsz, "%s: %s", path, md_status_text(st));
		goto out;
	}
	rc = 0;
out:
	buf_free(&raw);
	buf_free(&src);
	return rc;
}

int
policy_load(char *err, size_t errsz)
{
	char *p = NULL, *t = NULL;

	if (render(cfg.policy_file, &p, err, errsz) == -1 ||
	    render(cfg.terms_file, &t, err, errsz) == -1) {
		free(p);
		return -1;
	}
	free(policy);
	free(terms);
	policy = p;
	terms = t;
	return 0;
}

const char *
policy_html(void)
{
	return policy ? policy : "";
}

const char *
terms_html(void)
{
	return terms ? terms : "";
}

enum outcome
policy_accept_signup(const struct actor *a, long long user_id)
{
	if (db_exec("INSERT IGNORE INTO policy_acks (user_id, version, how,"
	    " created_at) VALUES (?, ?, 'signup', UTC_TIMESTAMP())", "is",
	    user_id, cfg.policy_version) == -1)
		return db_error();
	return audit(a, 0, user_id, "user.policy_accept", "user", user_id);
}

enum outcome
policy_notice_shown(const struct actor *a)
{
	enum outcome rc = OK;
	long long n;

	if (a->user_id == 0)
		return E_INVALID;
	if (db_begin() == -1)
		return db_error();
	n = db_exec("INSERT IGNORE INTO policy_acks (user_id, version, how,"
	    " created_at) VALUES (?, ?, 'notice', UTC_TIMESTAMP())", "is",
	    a->user_id, cfg.policy_version);
	if (n == -1)
		rc = db_error();
	else if (n == 1)
		rc = audit(a, 0, 0, "user.policy_notice", "user", a->user_id);
	if (rc != OK) {
		db_rollback();
		return rc;
	}
	return db_commit() == -1 ? db_error() : OK;
}
