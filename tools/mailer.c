/*
 * mailer: sends the outbox (lib/domain/outbox.h) over SMTP with libcurl
 * or through the local sendmail. Installed as helpdesk-mailer; runs as a
 * service (dist/helpdesk-mailer.service) or, with --once, sends what is
 * due and exits (tests, cron); with --fanout, only fans out what is due
 * and exits, sending nothing (tests, and an operator looking at the
 * outbox).
 *
 * Before each batch it fans out the ticket notifications waiting as
 * events (notify.h): one transaction per event renders its mail for
 * every recipient into the outbox and deletes the event, so killed
 * mid-way it leaves the event whole for the next run, and never mails
 * one twice. That is why it loads the templates and catalogues.
 *
 * It claims a batch, delivers each message, and records the outcome; a
 * failure is retried later with a growing delay, and given up after
 * mail_give_up_after with the error kept. SIGTERM or SIGINT lets the
 * message in hand finish and gives the rest of the batch back. Killed
 * outright, its claim runs out after LEASE and another run sends the
 * messages again: at most one twice, with the same Message-ID.
 *
 * One line per message goes to stderr (id and outcome); never a body,
 * an address or the SMTP password.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "notify.h"
#include "outbox.h"
#include "tmpl.h"

#define BATCH		10	/* messages per claim */
#define SEND_TIMEOUT	120	/* seconds for one message, connect included */
#define CONNECT_TIMEOUT	30
/* A claim outlives the slowest batch, so a live mailer never loses one. */
#define LEASE		(BATCH * SEND_TIMEOUT + 600)
/* Events fanned out between two batches: a burst of new tickets is
 * turned into mail a few at a time, so sending never waits long. */
#define FANOUT_BATCH	20

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A message being read by libcurl. */
struct upload {
	const char	*data;
	size_t		 len, at;
};

static size_t
read_upload(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n, left = u->len - u->at;

	if (want > left)
		want = left;
	memcpy(dst, u->data + u->at, want);
	u->at += want;
	return want;
}

/* The handle and its options that never change between messages. */
static CURL *
smtp_open(char *errbuf)
{
	struct origin o;
	CURL *c;

	if ((c = curl_easy_init()) == NULL)
		return NULL;
	config_origin(cfg.smtp_url, &o);
	curl_easy_setopt(c, CURLOPT_URL, cfg.smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, cfg.mail_from);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
	/* smtp://: STARTTLS or nothing is sent (config allows none only
	 * for a relay on this machine). smtps:// is TLS from the start.
	 * Certificates and host names are always verified. */
	if (strcmp(o.scheme, "smtp") == 0 &&
	    strcmp(cfg.smtp_tls, "required") == 0)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (*cfg.smtp_ca_file != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg.smtp_ca_file);
	if (*cfg.smtp_user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg.smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.smtp_password);
	}
	return c;
}

static int
send_smtp(CURL *c, const char *errbuf, const struct outmsg *m, char *err,
    size_t errsz)
{
	struct curl_slist *rcpt;
	struct upload u = { m->message, m->len, 0 };
	CURLcode rc;
	long code = 0;

	if ((rcpt = curl_slist_append(NULL, m->to_addr)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE, (long)m->len);
	rc = curl_easy_perform(c);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	if (rc == CURLE_OK)
		return 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	snprintf(err, errsz, "smtp: %s%s%s (%ld)", curl_easy_strerror(rc),
	    *errbuf ? ": " : "", errbuf, code);
	return -1;
}

/* Writes all of the message to fd with LF line ends (sendmail reads
 * local text). */
static int
write_lf(int fd, const struct outmsg *m)
{
	const char *p = m->message, *end = m->message + m->len, *cr;
	ssize_t w;

	while (p < end) {
		size_t n = (size_t)(end - p);

		if ((cr = memchr(p, '\r', n)) != NULL && cr + 1 < end &&
		    cr[1] == '\n')
			n = (size_t)(cr - p);
		else if (cr != NULL)
			n = (size_t)(cr - p) + 1;
		if (n > 0 && (w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		} else if (n > 0) {
			p += w;
			continue;
		}
		p++;	/* the CR of a CRLF */
	}
	return 0;
}

static int
send_sendmail(const struct outmsg *m, char *err, size_t errsz)
{
	int fds[2], status, werr;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(err, errsz, "sendmail: pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, errsz, "sendmail: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char *const argv[] = { "sendmail", "-i", "-f",
		    (char *)cfg.mail_from, "--", m->to_addr, NULL };

		if (dup2(fds[0], 0) == -1)
			_exit(127);
		execv(cfg.sendmail_path, argv);
		_exit(127);
	}
	close(fds[0]);
	werr = write_lf(fds[1], m);
	close(fds[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(err, errsz, "sendmail: wait: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && werr == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errsz, "sendmail exited with %d%s",
		    WEXITSTATUS(status), werr ? " (message not read whole)" : "");
	else
		snprintf(err, errsz, "sendmail killed by signal %d",
		    WTERMSIG(status));
	return -1;
}

/* Delivers one claimed message and records what happened. */
static void
deliver(CURL *c, char *errbuf, const struct outmsg *m, const char *who)
{
	char err[1024];
	int rc, gave_up;

	*errbuf = '\0';
	if (c != NULL)
		rc = send_smtp(c, errbuf, m, err, sizeof(err));
	else
		rc = send_sendmail(m, err, sizeof(err));
	if (rc == 0) {
		if (outbox_sent(m->id, who) == -1)
			log_err("mail %lld sent; recording it failed (it may be "
			    "sent again)", m->id);
		else
			log_info("mail %lld sent", m->id);
		return;
	}
	if (outbox_failed(m, who, err, cfg.mail_give_up_after, &gave_up) == -1)
		log_err("mail %lld attempt %lld failed: %s; recording it failed",
		    m->id, m->attempts, err);
	else if (gave_up)
		log_err("mail %lld given up after %lld attempts: %s", m->id,
		    m->attempts, err);
	else
		log_info("mail %lld attempt %lld failed, next in %llds: %s",
		    m->id, m->attempts, outbox_backoff(m->attempts), err);
}

/* Sleeps ms milliseconds or until a signal asks us to stop. */
static void
nap(long long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	if (!stopping)
		nanosleep(&ts, NULL);
}

/* One claim and its messages: how many were claimed, or -1. */
static int
batch(CURL *c, char *errbuf)
{
	char who[80], host[40], tok[9];
	unsigned char r[4];
	struct outmsg *msgs;
	int i, n;

	/* A token per claim: a message is ours only under this claim. */
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	random_bytes(r, sizeof(r));
	hex_encode(r, sizeof(r), tok);
	snprintf(who, sizeof(who), "%s:%d:%s", host, (int)getpid(), tok);
	if ((n = outbox_claim(who, BATCH, LEASE, &msgs)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (stopping) {
			if (outbox_release(msgs[i].id, who) == -1)
				log_err("mail %lld: giving it back failed; it "
				    "is sent after the claim runs out",
				    msgs[i].id);
			continue;
		}
		deliver(c, errbuf, &msgs[i], who);
	}
	outbox_free(msgs, n);
	return n;
}

/*
 * Fans out up to max due events (notify_fanout): how many were taken, or
 * -1 when the database failed. One log line per event that made mail.
 */
static int
fanout(int max)
{
	int i, got, mailed;

	for (i = 0; i < max && !stopping; i++) {
		if ((got = notify_fanout(&mailed)) == -1)
			return -1;
		if (got == 0)
			break;
		if (mailed > 0)
			log_info("mailer: an event became %d mail%s", mailed,
			    mailed == 1 ? "" : "s");
	}
	return i;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mailer [--once | --fanout]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	char errbuf[CURL_ERROR_SIZE];
	CURL *c = NULL;
	char err[256];
	int once = 0, only_fanout = 0, n, f, rc = 0;

	if (argc == 2 && strcmp(argv[1], "--once") == 0)
		once = 1;
	else if (argc == 2 && strcmp(argv[1], "--fanout") == 0)
		once = only_fanout = 1;
	else if (argc != 1)
		usage();
	if (config_load() == -1 || config_check_mail() == -1) {
		fprintf(stderr, "mailer: not started: fix the configuration\n");
		return 1;
	}
	/* Notifications are rendered here, in each recipient's language. */
	if (i18n_load(cfg.locale_dir, err, sizeof(err)) == -1 ||
	    tmpl_load(cfg.templates, err, sizeof(err)) == -1) {
		fprintf(stderr, "mailer: not started: %s\n", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a nap ends at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "mailer: libcurl did not start\n");
		return 1;
	}
	if (strcmp(cfg.mail_transport, "smtp") == 0 &&
	    (c = smtp_open(errbuf)) == NULL) {
		fprintf(stderr, "mailer: libcurl did not start\n");
		rc = 1;
		goto out;
	}
	log_info("mailer: started (%s%s)", cfg.mail_transport,
	    only_fanout ? ", fan-out only" : once ? ", once" : "");
	while (!stopping) {
		if ((f = fanout(only_fanout ? INT_MAX : FANOUT_BATCH)) == -1 ||
		    (n = only_fanout ? 0 : batch(c, errbuf)) == -1) {
			log_err("mailer: the database is unavailable");
			if (once) {
				rc = 1;
				break;
			}
			nap(cfg.mail_poll_ms);
			continue;
		}
		if (n == 0 && (f == 0 || only_fanout)) {
			if (once)
				break;
			nap(cfg.mail_poll_ms);
		}
	}
	log_info("mailer: stopped");
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_global_cleanup();
	db_close();
	return rc;
}
