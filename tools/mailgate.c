/*
 * mailgate: one message on standard input, stored by mailin_deliver
 * (lib/domain/mailin.h) as a ticket, a reply, or in the quarantine.
 * Installed as helpdesk-mailgate, for an MTA's pipe alias (INSTALL):
 *
 *	helpdesk-mailgate [--recipient ADDR]
 *
 * The envelope recipient is ADDR, or ORIGINAL_RECIPIENT, or RECIPIENT
 * (what Postfix's pipe(8) and local(8) set); without one the headers
 * name the workspace.
 *
 * The exit status is what MTAs understand (sysexits.h): 0 when the
 * message is stored, or was stored before; 75 (EX_TEMPFAIL) when it
 * could not be stored for now, so the MTA keeps it and tries again. A
 * message that was read never gets another status: a bounce to a sender
 * for a fault of ours would lose their mail (docs/decisions.md, "Mail
 * in: routing"). One line goes to stderr: the outcome and numbers,
 * never an address or a body.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "mailin.h"
#include "mailparse.h"
#include "tmpl.h"
#include "util.h"

#define EX_OK		0
#define EX_TEMPFAIL	75

/*
 * Reads all of fd into *buf: a message past mail_max_bytes too, since it
 * is kept whole in the quarantine (the MTA's own size limit bounds it).
 * 0, or -1 on a read error.
 */
static int
read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *b = xmalloc(cap);
	ssize_t r;

	for (;;) {
		if (n == cap) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
		r = read(fd, b + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(b);
			return -1;
		}
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* A pipe alias written wrong: the MTA keeps the mail until it is
 * fixed, as for every fault of ours. */
static void
usage(void)
{
	fprintf(stderr, "usage: mailgate [--recipient ADDR]\n");
	exit(EX_TEMPFAIL);
}

int
main(int argc, char **argv)
{
	struct mailin_report rep;
	enum mailin_result res;
	const char *rcpt = NULL;
	char err[256], *raw;
	size_t len;

	if (argc == 3 && strcmp(argv[1], "--recipient") == 0)
		rcpt = argv[2];
	else if (argc != 1)
		usage();
	if (rcpt == NULL && (rcpt = getenv("ORIGINAL_RECIPIENT")) == NULL)
		rcpt = getenv("RECIPIENT");
	/* A configuration that cannot be read is ours to fix: the MTA
	 * keeps the message meanwhile. */
	if (config_load() == -1) {
		fprintf(stderr, "mailgate: tempfail: fix the configuration\n");
		return EX_TEMPFAIL;
	}
	if (i18n_load(cfg.locale_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "mailgate: tempfail: %s\n", err);
		return EX_TEMPFAIL;
	}
	if (tmpl_load(cfg.templates, err, sizeof(err)) == -1) {
		fprintf(stderr, "mailgate: tempfail: templates: %s\n", err);
		return EX_TEMPFAIL;
	}
	if (read_all(STDIN_FILENO, &raw, &len) == -1) {
		fprintf(stderr, "mailgate: tempfail: reading the message: "
		    "%s\n", strerror(errno));
		return EX_TEMPFAIL;
	}
	mailparse_init();
	res = mailin_deliver(raw, len, rcpt, &rep);
	mailparse_shutdown();
	free(raw);
	db_close();
	if (res != MAILIN_STORED) {
		fprintf(stderr, "mailgate: tempfail: not stored, the MTA "
		    "keeps it (%zu bytes)\n", len);
		return EX_TEMPFAIL;
	}
	fprintf(stderr, "mailgate: %s ws=%lld ticket=%lld comment=%lld "
	    "quarantine=%lld%s%s (%zu bytes)\n", rep.outcome, rep.ws_id,
	    rep.ticket_number, rep.comment_id, rep.quarantine_id,
	    rep.reason_code ? " reason=" : "",
	    rep.reason_code ? rep.reason_code : "", len);
	return EX_OK;
}
