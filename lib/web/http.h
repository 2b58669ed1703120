/*
 * http: one request and its response, as the handlers see them.
 *
 * The core (server.c) reads and checks everything before a handler runs:
 * sizes are capped, every text input is valid UTF-8, the session is looked
 * up and every POST has passed its CSRF check. A handler only reads typed,
 * checked values and fills in the response; the core writes it out with
 * the security headers.
 *
 * Who acts is r->actor (actor.h), built by the core once the session
 * and, for R_WS routes, the membership are loaded: handlers pass
 * &r->actor to every model function.
 *
 * Uploads are not held in memory: a multipart body is spooled to a temp
 * file and parsed where it lies, so r->files point into a read-only
 * mapping, and r->uploads hands them to the model, which lets go of each
 * piece it has read (upload.h). A large response (a download) is
 * streamed: resp_begin, then resp_write piece by piece.
 */
#ifndef HD_HTTP_H
#define HD_HTTP_H

#include <stddef.h>
#include <json-c/json.h>

#include "actor.h"
#include "buf.h"
#include "escape.h"	/* url_escape, html_escape */
#include "kv.h"
#include "parse.h"
#include "upload.h"

struct workspace;

enum method {
	M_GET,
	M_HEAD,
	M_POST,
	M_OTHER,
	M__MAX
};

/* The signed-in user, when there is one. */
struct user {
	long long	 id;
	char		*name;
	char		*email;
	int		 confirmed;	/* the address is confirmed */
	int		 policy_seen;	/* accepted policy_version, or was
					   shown its notice (policy.h) */
	int		 usage;		/* consented to usage data: this
					   request is counted (usage.h) */
	/* Preferences (sql/024): "" when never set. */
	char		 lang[16];	/* a catalogue's code */
	char		 time_zone[64];	/* an IANA name */
	char		 queue_view[256]; /* the queue's query string */
};

struct req {
	/* Input, filled by the core. */
	enum method	 method;
	const char	*method_name;
	char		*path;		/* decoded, no query string */
	const char	*remote_addr;
	const char	*user_agent;
	const char	*request_id;
	int		 https;
	struct kvlist	 query;
	struct kvlist	 form;		/* urlencoded or multipart fields */
	struct partlist	 files;		/* multipart parts with a filename;
					   data in the spooled body */
	struct uploads	 uploads;	/* the same files for the model:
					   pieces read are let go */
	struct kvlist	 cookies;
	struct kvlist	 params;	/* from the route pattern */

	struct user	*user;		/* NULL when signed out */
	long long	 session_id;
	char		*session_token;	/* raw cookie value, binds CSRF */
	char		*anon_token;	/* binds CSRF before sign-in */
	struct workspace *ws;		/* routes with R_WS: the caller's
					   membership (workspaces.h) */
	struct workspace *ws_read;	/* the same, read with the session
					   (session_load); NULL, and
					   ws_was_read 0, when it was not */
	int		 ws_was_read;
	struct actor	 actor;		/* who acts: this user, in ws, from
					   this browser (actor.h) */
	char		 feature[48];	/* R_WS routes of a consenting
					   user: the feature used, counted
					   after the response (usage.h) */
	const char	*upload_error;	/* a file refused (too large, too
					   many): the handler keeps its form;
					   it points to upload_msg */
	char		 upload_msg[160];	/* naming the limit */

	/* Output, filled by handlers. */
	int		 status;
	struct kvlist	 headers;
	struct buf	 body;
	const char	*content_type;
	const char	*csp;		/* NULL: the page policy */

	/* Private to the core. */
	void		*io;
	double		 started;
	int		 sent;		/* resp_begin wrote the head */
	int		 aborted;	/* resp_abort cut the body off */
	void		*spool;		/* the mapped multipart body */
	size_t		 spool_len;
	struct kvlist	 markdown;	/* Markdown source -> its HTML
					   (form_markdown) */
};

/* The caller's permission in the route's workspace (r->actor). */
int		 can(const struct req *, enum perm);

/* Lookups of checked input; NULL when absent. */
const char	*req_param(const struct req *, const char *);	/* :name */
/* :name as a positive id; 0 when it is not one (the caller's 404). */
long long	 req_param_id(const struct req *, const char *);
const char	*req_query(const struct req *, const char *);
const char	*req_form(const struct req *, const char *);

/*
 * A handler done reading bytes of r->files (hashing or storing a large
 * file) says so, and the core lets go of those pages of the mapping: they
 * are read from the spool file again if touched. No-op for other memory.
 */
void	req_release(struct req *, const void *, size_t);

/* next: a local path to return to, or NULL when absent or unsafe. */
const char *safe_next(const struct req *);

/* Responses. Each returns 0 so a handler can `return page(...)`. */
int	page(struct req *, int status, const char *tmpl, struct json_object *);
int	redirect(struct req *, const char *location);	/* 303 See Other */
/* 303 to a page of workspace slug: "/w/SLUG" + rest. */
int	redirect_ws(struct req *, const char *slug, const char *rest);
int	error_page(struct req *, int status, const char *message);
int	text(struct req *, int status, const char *body);

/*
 * A streamed response: resp_begin writes the status line and every header
 * (r->status, r->content_type, r->headers, r->csp and the security
 * headers) with this Content-Length, and the core sends nothing more on
 * its own; resp_write then sends the body. Under HEAD nothing is written
 * after the head, so a handler may stop there. If the body ends short of
 * the length, the client sees a truncated response, never a wrong one.
 * resp_begin returns 0, or -1 when the response was sent already;
 * resp_write returns 0, or -1 when the client has gone away.
 */
int	resp_begin(struct req *, long long content_length);
int	resp_write(struct req *, const void *, size_t);

/*
 * A download whose length is not known before its end (an export made
 * while it is sent): as resp_begin, without Content-Length (nginx sends
 * it chunked), as an attachment named filename (Content-Disposition),
 * under a policy that lets nothing in it run. resp_write then sends the
 * body as it is made; the response ends when the handler returns.
 *
 * A failure after the head is out cannot change the status any more:
 * resp_abort(r, why) logs why and cuts the response off (io_abort), so
 * the client's download fails instead of ending as if complete; every
 * later resp_write returns -1. The producer must also leave what it
 * wrote visibly unfinished (an archive without its end: zipstream.h).
 */
int	resp_begin_download(struct req *, const char *filename);
void	resp_abort(struct req *, const char *why);

/* A template context with what every page needs: user, CSRF token. */
struct json_object *page_ctx(struct req *);
/* Adds key = value to a context; nothing when value is NULL. */
void	ctx_str(struct json_object *, const char *key, const char *value);

void	resp_header(struct req *, const char *name, const char *value);
void	resp_cookie(struct req *, const char *name, const char *value,
	    long long max_age);	/* max_age < 0: a session cookie */
const char *status_text(int);

#endif
