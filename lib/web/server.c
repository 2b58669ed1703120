/*
 * server: the process model and the request loop.
 *
 * A supervisor opens the socket, forks the workers and restarts any that
 * die. A worker is single-threaded and keeps one database connection and
 * its prepared statements for its whole life. SIGTERM stops a worker
 * after the request in hand.
 */
#include <errno.h>
#include <malloc.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "crypto.h"
#include "i18n.h"
#include "featurename.h"
#include "markdown.h"
#include "migrate.h"
#include "policy.h"
#include "sandbox.h"
#include "timefmt.h"
#include "io.h"
#include "lang.h"
#include "request.h"
#include "response.h"
#include "tmpl.h"
#include "usage.h"
#include "workspaces.h"

#define MAX_WORKERS	64

static volatile sig_atomic_t stopping;
/* auto_migrate failed: every request is a 503 (a CGI process's one). */
static int not_ready;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
set_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking accept() must return so we can stop. */
	sigaction(sig, &sa, NULL);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *
db_unavailable_text(void)
{
	/* Never "saved" and never "try again" when a retry could do it
	 * twice: the write may have been applied. */
	if (db_outcome_unknown())
		return _("The database stopped answering while this was being "
		    "saved, so it may or may not have been saved. Check "
		    "before you send it again.");
	return _("The database is not answering. Please try again in a "
	    "moment.");
}

int
db_unavailable(struct req *r)
{
	const char *text = db_unavailable_text();

	db_rollback();
	return error_page(r, 503, text);
}

static const char *
refusal(int status)
{
	switch (status) {
	case 413:
		return _("The form or file was larger than this site accepts.");
	case 400:
		return _("The request was malformed or held text that is not "
		    "valid UTF-8.");
	default:
		return NULL;
	}
}

/* To sign in, then come back here (GET pages only: a POST would be
 * lost anyway, and its page had a form that needed a session). */
static void
signin_first(struct req *r)
{
	struct buf to = BUF_INIT;

	buf_puts(&to, "/signin");
	if (r->method == M_GET && strcmp(r->path, "/") != 0) {
		buf_puts(&to, "?next=");
		url_escape(&to, r->path);
	}
	redirect(r, buf_str(&to));
	buf_free(&to);
}

/*
 * Loads r->ws, the caller's membership of the route's :slug: OK,
 * E_NOT_FOUND when there is no such workspace or the user is not a
 * member (the same page either way), E_DB.
 */
static enum outcome
membership_load(struct req *r)
{
	const char *slug = req_param(r, "slug");
	enum outcome rc;

	if (slug == NULL || r->user == NULL)
		return E_NOT_FOUND;
	if (r->ws_was_read) {
		/* Read with the session, in the same statement. */
		r->ws = r->ws_read;
		r->ws_read = NULL;
		if (r->ws == NULL)
			return E_NOT_FOUND;
	} else if ((rc = ws_lookup(slug, r->user->id, &r->ws)) != OK)
		return rc;
	if (r->ws->role == ROLE_NONE) {
		workspace_free(r->ws);
		r->ws = NULL;
		return E_NOT_FOUND;
	}
	return OK;
}

/* The page that sends a member to turn two-factor sign-in on. */
static void
twofactor_required(struct req *r)
{
	struct json_object *c = page_ctx(r);
	struct buf msg = BUF_INIT;

	buf_printf(&msg, _("%s asks its agents and admins to sign in with two "
	    "factors: your password and a code from an authenticator app on "
	    "your phone. Turn it on for your account, then come back."),
	    r->ws->name);
	ctx_str(c, "title", _("Two-factor sign-in required"));
	ctx_str(c, "message", buf_str(&msg));
	ctx_str(c, "detail", _("It takes a minute: scan a QR code with the "
	    "app, type the code it shows, and keep the recovery codes."));
	ctx_str(c, "link", "/account/2fa");
	ctx_str(c, "link_text", _("Set up two-factor sign-in"));
	buf_free(&msg);
	page(r, 403, "notice", c);
}

/*
 * A member whose access an admin suspended (member_suspend): 403 on every
 * page of the workspace, before its route's permission is asked, and
 * without the workspace's navigation (r->ws goes first).
 */
static void
suspended_page(struct req *r)
{
	struct json_object *c;
	struct buf title = BUF_INIT;

	buf_printf(&title, _("Your access to %s is suspended"), r->ws->name);
	workspace_free(r->ws);
	r->ws = NULL;
	c = page_ctx(r);
	json_object_object_add(c, "status", json_object_new_int(403));
	ctx_str(c, "reason", _(status_text(403)));
	ctx_str(c, "title", buf_str(&title));
	ctx_str(c, "message", _("An admin of this workspace has suspended "
	    "your access to it. Nothing of yours was deleted, and your other "
	    "workspaces are not affected. Ask the workspace's admins if you "
	    "think this is a mistake."));
	page(r, 403, "error", c);
	buf_free(&title);
}

static void
dispatch(struct req *r, const struct route *routes)
{
	const struct route *rt;
	enum outcome rc;
	int status;

	if ((rt = route_match(routes, r, &status)) == NULL) {
		/* Load the session anyway so the error page knows the user. */
		session_load(r, NULL);
		lang_choose(r);
		error_page(r, status, NULL);
		return;
	}
	/* A workspace page's membership comes with the session: one
	 * statement for both (membership_load). */
	if (session_load(r, (rt->flags & R_WS) ? req_param(r, "slug") :
	    NULL) == -1) {
		db_unavailable(r);
		return;
	}
	/* The person's own setting, now that they are known. */
	lang_choose(r);
	lang_remember(r);
	if (r->method == M_POST && !csrf_ok(r)) {
		error_page(r, 403, _("This form has expired or did not come "
		    "from this site. Go back, reload the page and submit it "
		    "again."));
		return;
	}
	if ((rt->flags & (R_AUTH | R_WS)) && r->user == NULL) {
		signin_first(r);
		return;
	}
	if ((rt->flags & R_WS) && (rc = membership_load(r)) != OK) {
		outcome_page(r, rc);
		return;
	}
	if ((rt->flags & R_WS) && r->ws->suspended) {
		suspended_page(r);
		return;
	}
	/* Who acts, for the model: built once, now that it is known. */
	req_actor(r);
	/* Here, where every workspace page loads the membership, and
	 * nowhere else: an agent or admin the workspace asks two-factor
	 * sign-in of goes to turn it on before anything of it. */
	if ((rt->flags & R_WS) && ws_needs_2fa(r->ws)) {
		twofactor_required(r);
		return;
	}
	if ((rt->flags & R_WS) && !can(r, (enum perm)rt->perm)) {
		error_page(r, 403, _("Your role in this workspace does not "
		    "allow that."));
		return;
	}
	rt->handler(r);
	/* Usage data of a person who consented (read with the session):
	 * which feature of the workspace was used, counted after the
	 * response (serve). */
	if ((rt->flags & R_WS) && r->user && r->user->usage && r->ws)
		route_feature(rt, r, r->feature, sizeof(r->feature));
}

/*
 * Plain CGI: Apache (mod_cgid) writes the whole body to the program's
 * standard input before it reads the answer, and a body the program
 * left unread there breaks the visitor's connection: they see it reset
 * instead of the refusal. So a refused body is read to its end and
 * dropped (Apache's LimitRequestBody bounds it; .htaccess). Under
 * FastCGI the web server has the body already.
 */
static void
drain_cgi_body(const struct io *io)
{
	char chunk[65536];

	if (io->fcgi != NULL)
		return;
	while (io_read(io, chunk, sizeof(chunk)) > 0)
		;
}

/*
 * Forgets what a request's first run decided and answered, keeping what
 * came in (the body and its files stay mapped), for dispatch to run
 * again.
 */
static void
req_forget_output(struct req *r)
{
	kv_free(&r->params);
	kv_free(&r->headers);
	kv_free(&r->markdown);
	buf_free(&r->body);
	if (r->user) {
		free(r->user->name);
		free(r->user->email);
		free(r->user);
		r->user = NULL;
	}
	free(r->session_token);
	free(r->anon_token);
	r->session_token = r->anon_token = NULL;
	r->session_id = 0;
	workspace_free(r->ws);
	workspace_free(r->ws_read);
	r->ws = r->ws_read = NULL;
	r->ws_was_read = 0;
	memset(&r->actor, 0, sizeof(r->actor));
	r->feature[0] = '\0';
	r->status = 0;
	r->content_type = NULL;
	r->csp = NULL;
}

/*
 * The one place where a request meets db_retry (db.h): a request that
 * failed (5xx) because its transaction lost a conflict (a Galera
 * certification failure at COMMIT, a deadlock) left nothing of it in the
 * database and sent nothing yet, so it runs again from the start and
 * answers as if it had met no one. Not a request that succeeded anyway,
 * nor one that committed something before (db_retry), nor a streamed
 * response (exports), which has gone out already.
 */
static void
dispatch_retrying(struct req *r, const struct route *routes)
{
	int attempt = 0;

	for (;;) {
		db_retry_start();
		dispatch(r, routes);
		if (r->sent || r->status < 500 || !db_retry(&attempt))
			return;
		req_forget_output(r);
	}
}

static void
serve(const struct io *io, const struct route *routes)
{
	struct req r;
	unsigned long long stmts = db_statements();
	int status;

	memset(&r, 0, sizeof(r));
	r.started = now_ms();
	/* UTC until the session says whose zone (session_load). */
	tz_set(NULL);
	r.io = (void *)io;
	status = req_read(&r, io);
	if (status != 0)
		drain_cgi_body(io);
	log_set_request_id(r.request_id);
	/* Before anything can answer, even a refusal (lang.h). */
	lang_choose(&r);
	if (not_ready)
		error_page(&r, 503, _("The database is not ready. Please try "
		    "again in a moment."));
	else if (status != 0) {
		/* The refusal page still knows who is signed in, and keeps the
		 * visitor's cookies (and so the tokens of their open forms). */
		session_load(&r, NULL);
		lang_choose(&r);
		error_page(&r, status, status == 413 && r.upload_error ?
		    r.upload_error : _(refusal(status)));
	}
	else
		dispatch_retrying(&r, routes);
	/* A handler that returned mid-transaction wrote nothing. */
	if (db_in_transaction())
		db_rollback();
	/* Sends the response, unless the handler streamed it (r.status is
	 * what went out either way). */
	resp_send(&r);
	/* A page that failed used nothing; a count that fails loses one
	 * count, never the page (usage.h). */
	if (r.feature[0] != '\0' && r.status < 400)
		usage_count(&r.actor, r.feature);
	log_request(r.method_name, r.path, r.status, now_ms() - r.started,
	    (unsigned)(db_statements() - stmts));
	req_free(&r);
	i18n_set(NULL);
}

/* What a library would otherwise load from disk on first use, done
 * before the sandbox closes the disk. */
static void
warm_up(void)
{
	unsigned char h[32];
	char *html;

	sha256("", 0, h);
	hmac_sha256("k", 1, "m", 1, h);
	html = markdown_html("*warm*");
	free(html);
}

/*
 * A database over TCP (db_host) by its address: a name is looked up now,
 * while /etc/hosts and DNS are reachable, which the sandbox closes; a
 * worker that connects again later uses the address it had.
 */
static void
pin_db_host(void)
{
	struct addrinfo hints, *ai;
	char host[NI_MAXHOST];

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(cfg.db_host, NULL, &hints, &ai) != 0)
		return;		/* connecting fails and says why */
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), NULL,
	    0, NI_NUMERICHOST) == 0) {
		/* Every string of cfg is config.c's own copy. */
		free((char *)cfg.db_host);
		cfg.db_host = xstrdup(host);
	}
	freeaddrinfo(ai);
}

/*
 * What needs the files or the network the sandbox closes: the database
 * over TCP, connected now; with auto_migrate (shared hosting, where no
 * one runs helpdesk-migrate), sql_dir's new migrations, applied once
 * however many processes start at once (migrate.h).
 */
static void
prepare(void)
{
	if (*cfg.db_host != '\0') {
		pin_db_host();
		/* A failure here is retried by the first request. */
		(void)db_connect();
	}
	if (strcmp(cfg.auto_migrate, "on") == 0 &&
	    migrate_if_behind(cfg.sql_dir) < 0) {
		log_err("auto_migrate: the migrations of %s could not be "
		    "applied; answering 503", cfg.sql_dir);
		not_ready = 1;
	}
}

/* Ready to serve: give up what serving does not need (sandbox.h). */
static void
confine(void)
{
	prepare();
	warm_up();
	if (strcmp(cfg.sandbox, "on") == 0 && sandbox_enter() == -1)
		die("cannot confine the worker; set sandbox = off to run "
		    "without (see INSTALL)");
}

static int
worker(int fd, const struct route *routes)
{
	FCGX_Request fr;
	struct io io = { &fr };

	if (FCGX_Init() != 0)
		die("FCGX_Init");
	FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	set_signal(SIGTERM, on_term);
	set_signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	confine();
	/* Migrations failed: go, and let the supervisor (or mod_fcgid)
	 * start a worker that tries again, rather than serve 503s. */
	if (not_ready) {
		sleep(1);
		db_close();
		return 1;
	}
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		serve(&io, routes);
		FCGX_Finish_r(&fr);
	}
	db_close();
	return 0;
}

static int
cgi_once(const struct route *routes)
{
	struct io io = { NULL };

	/* A CGI process serves one request, but that request is as hostile
	 * as any: it is confined the same way. */
	confine();
	serve(&io, routes);
	fflush(stdout);
	db_close();
	return 0;
}

static pid_t
spawn(int fd, const struct route *routes)
{
	pid_t pid = fork();

	if (pid == -1) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Workers go when the supervisor goes, however it went. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		set_signal(SIGTERM, SIG_DFL);
		/* exit, not _exit: the sanitizer build checks for leaks
		 * when a worker stops. */
		exit(worker(fd, routes));
	}
	return pid;
}

/* Keeps n workers alive until SIGTERM, then stops them and waits. */
static int
supervise(int fd, int n, const struct route *routes)
{
	pid_t pids[MAX_WORKERS];
	int i, alive;

	set_signal(SIGTERM, on_term);
	set_signal(SIGINT, on_term);
	for (i = 0; i < n; i++)
		pids[i] = spawn(fd, routes);
	while (!stopping) {
		int st;
		pid_t dead = waitpid(-1, &st, 0);

		if (dead == -1)
			continue;	/* EINTR from SIGTERM */
		for (i = 0; i < n; i++) {
			if (pids[i] != dead)
				continue;
			if (WIFSIGNALED(st))
				log_err("worker %d killed by signal %d; "
				    "restarting", (int)dead, WTERMSIG(st));
			if (!stopping) {
				/* Don't spin if workers die at once. */
				usleep(100 * 1000);
				pids[i] = spawn(fd, routes);
			}
		}
	}
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (alive = n; alive > 0; alive--)
		if (wait(NULL) == -1 && errno == ECHILD)
			break;
	return 0;
}

/* The kernel's cap on every listen backlog (net.core.somaxconn), or -1. */
static long long
somaxconn(void)
{
	FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
	long long v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/*
 * How many connections may wait for a free worker. When the queue is
 * full, connect() on a unix socket fails at once (EAGAIN) and nginx
 * answers 502, so a burst of more clients than workers must fit in it;
 * nginx's fastcgi_read_timeout bounds how long each waits. The kernel
 * silently caps the backlog at somaxconn: say so when it does.
 */
static int
listen_backlog(void)
{
	long long max = somaxconn();

	if (max > 0 && max < cfg.listen_backlog) {
		log_info("listen_backlog %lld is above net.core.somaxconn "
		    "%lld, which the kernel applies (see INSTALL)",
		    cfg.listen_backlog, max);
		return (int)max;
	}
	return (int)cfg.listen_backlog;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-s socket [-n workers]]\n"
	    "  without -s: FastCGI on stdin, or one CGI request\n", prog);
	exit(2);
}

int
app_main(int argc, char **argv, const struct route *routes)
{
	const char *sock = NULL;
	char err[512];
	long long n = 2;
	int ch, fd;

	while ((ch = getopt(argc, argv, "s:n:")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'n':
			if (parse_int(optarg, 1, MAX_WORKERS, &n) == -1)
				usage(argv[0]);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (config_load() == -1)
		return 1;
	/*
	 * Large blocks (argon2's 19 MiB, big pages) go back to the kernel
	 * when freed. Left to itself glibc raises this threshold after the
	 * first such free, and a worker then keeps the memory for good.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
	/* The catalogues, then every template in every language, before
	 * any worker exists (and so before the sandbox): a typo stops
	 * start-up here, once, instead of failing the first visitor of its
	 * page. */
	if (i18n_load(cfg.locale_dir, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return 1;
	}
	if (tmpl_load(cfg.templates, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: templates: %s\n", argv[0], err);
		return 1;
	}
	/* The zones people may choose, before the sandbox: the list is
	 * read once; a zone's own file is read when it is first shown, from
	 * the folder Landlock keeps readable. */
	if (tz_load(err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: time zones: %s\n", argv[0], err);
		return 1;
	}
	/* The policy and terms likewise: every page's footer promises them. */
	if (policy_load(err, sizeof(err)) == -1) {
		fprintf(stderr, "%s: policy: %s\n", argv[0], err);
		return 1;
	}
	if (sock == NULL) {
		if (FCGX_IsCGI())
			return cgi_once(routes);
		return worker(0, routes);
	}
	/* The socket's directory guards access (see INSTALL). */
	if ((fd = FCGX_OpenSocket(sock, listen_backlog())) < 0) {
		fprintf(stderr, "%s: cannot listen on %s\n", argv[0], sock);
		return 1;
	}
	chmod(sock, 0666);
	log_info("%s listening on %s with %lld workers", argv[0], sock, n);
	supervise(fd, (int)n, routes);
	unlink(sock);
	return 0;
}
