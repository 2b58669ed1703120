/*
 * mailpoll: mail in from a hosted mailbox over IMAP (libcurl), each
 * message stored by mailin_deliver (lib/domain/mailin.h) exactly as the
 * mailgate stores what an MTA pipes to it. Installed as
 * helpdesk-mailpoll; runs as a service (dist/helpdesk-mailpoll.service)
 * or, with --once, polls once and exits (tests, cron).
 *
 * Each poll: UID SEARCH UNDELETED in the mailbox of imap_url; for each
 * UID, its flags, then the whole message; mailin_deliver; and only when
 * it is stored is the message moved to the imap_done folder or deleted
 * (\Deleted and UID EXPUNGE). A message that could not be stored
 * (MAILIN_TEMPFAIL: the database is down) is left where it was, its
 * \Seen flag put back as it was (libcurl fetches BODY[], which sets it),
 * and is tried again at the next poll; a crash between storing and
 * moving stores it once more at the next poll, which mail_seen makes a
 * duplicate, not a second ticket. Every message still in the mailbox is
 * one not yet stored: nothing depends on \Seen, which a person reading
 * the mailbox may set too (docs/decisions.md, "Mail in: MTAs and IMAP").
 *
 * With --once the exit is 0, 1 when the server could not be reached or
 * refused the login, 75 when a message was left because the database
 * is unavailable (the first such stops the poll).
 *
 * SIGTERM or SIGINT lets the message in hand finish. One line per
 * message goes to stderr (UID and outcome); never a body, an address or
 * the password.
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "config.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "mailin.h"
#include "mailparse.h"
#include "tmpl.h"

#define CONNECT_TIMEOUT	30
#define FETCH_TIMEOUT	300	/* seconds for one message */
#define CMD_TIMEOUT	60
#define MAX_MESSAGE	(64LL * 1024 * 1024)	/* bytes; larger is left */
#define MAX_UIDS	500	/* per poll; the rest at the next */

static volatile sig_atomic_t stopping;
static int	made_folder;	/* CREATE of imap_done was tried */

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Where the mailbox is: imap_url split into the server and the mailbox. */
static char	server[300];	/* scheme://host[:port] */
static char	mailbox[200];	/* URL-escaped mailbox, e.g. INBOX */

/* What the server answered, or the message being fetched. */
struct answer {
	char	*data;
	size_t	 len, cap;
	int	 too_big;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct answer *b = arg;
	size_t add = size * n;
	char *d;

	if ((long long)(b->len + add) > MAX_MESSAGE) {
		b->too_big = 1;
		return 0;	/* ends the transfer with an error */
	}
	if (b->len + add + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;

		while (cap < b->len + add + 1)
			cap *= 2;
		if ((d = realloc(b->data, cap)) == NULL)
			return 0;
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

static void
answer_reset(struct answer *b)
{
	b->len = 0;
	b->too_big = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* A mailbox name is sent as an IMAP quoted string and put in URLs:
 * letters, digits, and "/._- " only. */
static int
mailbox_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 100 && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._- ") == n &&
	    s[0] != '/' && s[n - 1] != '/';
}

/* Checks the imap_ keys: 0, or -1 with the reason on stderr. */
static int
check_config(void)
{
	struct origin o;
	const char *slash, *p;
	size_t n;
	char *q;

	if (*cfg.imap_url == '\0' || (p = strstr(cfg.imap_url, "://")) ==
	    NULL) {
		fprintf(stderr, "config: imap_url must be imaps://host[:port]"
		    "/MAILBOX (imap:// on a loopback address only)\n");
		return -1;
	}
	slash = strchr(p + 3, '/');
	n = slash ? (size_t)(slash - cfg.imap_url) : strlen(cfg.imap_url);
	if (n >= sizeof(server)) {
		fprintf(stderr, "config: imap_url is too long\n");
		return -1;
	}
	memcpy(server, cfg.imap_url, n);
	server[n] = '\0';
	if (config_origin(server, &o) == -1 || (strcmp(o.scheme, "imaps") !=
	    0 && strcmp(o.scheme, "imap") != 0)) {
		fprintf(stderr, "config: imap_url must be imaps://host[:port]"
		    "/MAILBOX\n");
		return -1;
	}
	/* Without TLS the password and every message cross the network in
	 * the clear: only a server on this machine may go without. */
	if (strcmp(o.scheme, "imap") == 0 && !config_host_is_loopback(o.host)) {
		fprintf(stderr, "config: imap:// (without TLS) is allowed only "
		    "for a server on a loopback address, not %s: use "
		    "imaps://\n", o.host);
		return -1;
	}
	p = (slash != NULL && slash[1] != '\0') ? slash + 1 : "INBOX";
	if (!mailbox_ok(p) || strlen(p) * 3 >= sizeof(mailbox)) {
		fprintf(stderr, "config: the mailbox of imap_url may have "
		    "letters, digits and \"/._- \" only\n");
		return -1;
	}
	/* A space is %20 in the URL; the rest needs no escaping. */
	for (q = mailbox; *p != '\0'; p++)
		if (*p == ' ') {
			memcpy(q, "%20", 3);
			q += 3;
		} else
			*q++ = *p;
	*q = '\0';
	if (*cfg.imap_user == '\0' || *cfg.imap_password == '\0') {
		fprintf(stderr, "config: imap_user and imap_password must be "
		    "set\n");
		return -1;
	}
	if (*cfg.imap_recipient == '\0' || strchr(cfg.imap_recipient, '@') ==
	    NULL || strpbrk(cfg.imap_recipient, " \t\r\n<>") != NULL) {
		fprintf(stderr, "config: imap_recipient must be the mailbox's "
		    "address (a workspace's inbound address)\n");
		return -1;
	}
	if (strcmp(cfg.imap_done, "delete") != 0 && !mailbox_ok(cfg.imap_done)) {
		fprintf(stderr, "config: imap_done must be delete or a folder "
		    "name (letters, digits and \"/._- \"), e.g. "
		    "Helpdesk/Done\n");
		return -1;
	}
	return 0;
}

/* The handle and the options that never change. */
static CURL *
imap_open(char *errbuf)
{
	CURL *c;

	if ((c = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_USERNAME, cfg.imap_user);
	curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.imap_password);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	/* imap:// on loopback (check_config) goes as it is; imaps:// is TLS
	 * from the start, certificates and host names always verified. */
	return c;
}

/* One command on the mailbox (cmd NULL: fetch uid): 0, or -1 with the
 * error logged unless quiet. The answer is in b. */
static int
imap_try(CURL *c, char *errbuf, struct answer *b, const char *cmd,
    long long uid, int quiet)
{
	char url[600];
	CURLcode rc;

	answer_reset(b);
	*errbuf = '\0';
	if (cmd == NULL)
		snprintf(url, sizeof(url), "%s/%s;UID=%lld", server, mailbox,
		    uid);
	else
		snprintf(url, sizeof(url), "%s/%s", server, mailbox);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, cmd);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(cmd == NULL ?
	    FETCH_TIMEOUT : CMD_TIMEOUT));
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		return 0;
	if (quiet)
		return -1;
	if (b->too_big)
		log_err("mailpoll: message %lld is larger than %lld bytes: "
		    "left in the mailbox", uid, MAX_MESSAGE);
	else
		log_err("mailpoll: %s%s: %s%s%s", cmd ? cmd : "UID FETCH",
		    cmd ? "" : " (the message)", curl_easy_strerror(rc),
		    *errbuf ? ": " : "", errbuf);
	return -1;
}

static int
imap_do(CURL *c, char *errbuf, struct answer *b, const char *cmd,
    long long uid)
{
	return imap_try(c, errbuf, b, cmd, uid, 0);
}

static int
cmp_uid(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The UIDs of "* SEARCH 1 2 3" lines, ascending: how many, at most max. */
static int
parse_search(const char *s, long long *uids, int max)
{
	const char *p = s;
	char *end;
	int n = 0;

	while ((p = strstr(p, "* SEARCH")) != NULL) {
		p += 8;
		while (n < max) {
			long long v;

			while (*p == ' ')
				p++;
			if (!isdigit((unsigned char)*p))
				break;
			v = strtoll(p, &end, 10);
			p = end;
			if (v > 0)
				uids[n++] = v;
		}
	}
	qsort(uids, (size_t)n, sizeof(*uids), cmp_uid);
	return n;
}

/* Flags of a FETCH answer contain \Seen. */
static int
has_seen(const char *s)
{
	const char *f = strstr(s, "FLAGS (");

	if (f == NULL)
		return 0;
	for (f += 7; *f != '\0' && *f != ')'; f++)
		if (strncasecmp(f, "\\Seen", 5) == 0)
			return 1;
	return 0;
}

/* The message is stored: move it to imap_done, or delete it. */
static int
mark_done(CURL *c, char *errbuf, struct answer *b, long long uid)
{
	char cmd[300];

	if (strcmp(cfg.imap_done, "delete") != 0) {
		snprintf(cmd, sizeof(cmd), "UID MOVE %lld \"%s\"", uid,
		    cfg.imap_done);
		if (imap_do(c, errbuf, b, cmd, 0) == 0)
			return 0;
		/* Without MOVE (RFC 6851): a copy, then the delete below. */
		snprintf(cmd, sizeof(cmd), "UID COPY %lld \"%s\"", uid,
		    cfg.imap_done);
		if (imap_do(c, errbuf, b, cmd, 0) == -1)
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "UID STORE %lld +FLAGS.SILENT (\\Deleted)",
	    uid);
	if (imap_do(c, errbuf, b, cmd, 0) == -1)
		return -1;
	/* UID EXPUNGE (UIDPLUS) removes only this one; a plain EXPUNGE
	 * also removes what else is marked \Deleted, which a mailbox of the
	 * helpdesk's own may. */
	snprintf(cmd, sizeof(cmd), "UID EXPUNGE %lld", uid);
	if (imap_do(c, errbuf, b, cmd, 0) == -1 &&
	    imap_do(c, errbuf, b, "EXPUNGE", 0) == -1)
		return -1;
	return 0;
}

/* One message: 1 stored (and moved or deleted), 0 left for the next
 * poll (too large), -1 left because the database is unavailable, -2
 * left because the server failed us (the rest of this poll would fail
 * alike in both cases). */
static int
poll_one(CURL *c, char *errbuf, struct answer *b, long long uid)
{
	struct mailin_report rep;
	enum mailin_result r;
	char cmd[80];
	int seen;

	snprintf(cmd, sizeof(cmd), "UID FETCH %lld FLAGS", uid);
	if (imap_do(c, errbuf, b, cmd, 0) == -1)
		return -2;
	seen = has_seen(b->data ? b->data : "");
	if (imap_do(c, errbuf, b, NULL, uid) == -1)
		return b->too_big ? 0 : -2;
	memset(&rep, 0, sizeof(rep));
	r = mailin_deliver(b->data ? b->data : "", b->len,
	    cfg.imap_recipient, &rep);
	if (r != MAILIN_STORED) {
		log_info("mailpoll: message %lld not stored (the database is "
		    "unavailable): left in the mailbox", uid);
		if (!seen) {
			snprintf(cmd, sizeof(cmd),
			    "UID STORE %lld -FLAGS.SILENT (\\Seen)", uid);
			imap_do(c, errbuf, b, cmd, 0);
		}
		return -1;
	}
	log_info("mailpoll: message %lld stored: %s%s%s", uid,
	    rep.outcome ? rep.outcome : "?", rep.reason_code ? " " : "",
	    rep.reason_code ? rep.reason_code : "");
	if (mark_done(c, errbuf, b, uid) == -1)
		log_err("mailpoll: message %lld stored but not %s: it is read "
		    "again at the next poll (a duplicate then, never a second "
		    "ticket)", uid, strcmp(cfg.imap_done, "delete") == 0 ?
		    "deleted" : "moved");
	return 1;
}

/* One poll: how many messages were stored, or -1 when the server could
 * not be reached or refused us; *tempfail set when a message was left
 * for the database. */
static int
poll_once(CURL *c, char *errbuf, int *tempfail)
{
	struct answer b = { 0 };
	long long *uids;
	int i, n, r, stored = 0;
	char cmd[300];

	if ((uids = calloc(MAX_UIDS, sizeof(*uids))) == NULL)
		return -1;
	if (strcmp(cfg.imap_done, "delete") != 0 && !made_folder) {
		/* Fails when it exists already, which is fine: a folder that
		 * cannot be made shows when the first message is moved. */
		snprintf(cmd, sizeof(cmd), "CREATE \"%s\"", cfg.imap_done);
		imap_try(c, errbuf, &b, cmd, 0, 1);
		made_folder = 1;
	}
	if (imap_do(c, errbuf, &b, "UID SEARCH UNDELETED", 0) == -1) {
		stored = -1;
		goto out;
	}
	n = parse_search(b.data ? b.data : "", uids, MAX_UIDS);
	for (i = 0; i < n && !stopping; i++) {
		if ((r = poll_one(c, errbuf, &b, uids[i])) < 0) {
			if (r == -1)
				*tempfail = 1;
			break;
		}
		stored += r;
	}
out:
	free(b.data);
	free(uids);
	return stored;
}

/* Sleeps seconds or until a signal asks us to stop. */
static void
nap(long long seconds)
{
	struct timespec ts = { (time_t)seconds, 0 };

	if (!stopping)
		nanosleep(&ts, NULL);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mailpoll [--once]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	char errbuf[CURL_ERROR_SIZE], err[256];
	CURL *c = NULL;
	int once = 0, tempfail, rc = 0;

	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		once = 1;
	else if (argc != 1)
		usage();
	if (config_load() == -1 || check_config() == -1) {
		fprintf(stderr, "mailpoll: not started: fix the configuration\n");
		return 1;
	}
	/* The mail a new requester is sent (mail/received) is rendered,
	 * in their language. */
	if (i18n_load(cfg.locale_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "mailpoll: not started: %s\n", err);
		return 1;
	}
	if (tmpl_load(cfg.templates, err, sizeof(err)) == -1) {
		fprintf(stderr, "mailpoll: not started: templates: %s\n", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a nap ends at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (c = imap_open(errbuf)) == NULL) {
		fprintf(stderr, "mailpoll: libcurl did not start\n");
		return 1;
	}
	mailparse_init();
	log_info("mailpoll: started (%s%s)", server, once ? ", once" : "");
	while (!stopping) {
		tempfail = rc = 0;
		if (poll_once(c, errbuf, &tempfail) == -1)
			rc = 1;
		else if (tempfail)
			rc = 75;	/* EX_TEMPFAIL, as the mailgate's */
		if (once)
			break;
		nap(cfg.imap_poll_seconds);
	}
	log_info("mailpoll: stopped");
	curl_easy_cleanup(c);
	curl_global_cleanup();
	mailparse_shutdown();
	db_close();
	return rc;
}
