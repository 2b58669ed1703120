/*
 * session: who is signed in, and the CSRF tokens that bind forms to them.
 *
 * A session is a 256-bit random token in an HttpOnly cookie; the database
 * keeps only its SHA-256, so a leaked table signs nobody in. Sessions end
 * after session_idle seconds without a request or session_max seconds
 * after sign-in, at sign-out, and at a password change.
 *
 * A CSRF token is HMAC(secret, binding): the binding is the session token
 * once signed in, and before that a random "anonymous" cookie, so the
 * sign-in and sign-up forms are protected too.
 */
#ifndef HD_SESSION_H
#define HD_SESSION_H

#include "http.h"

#define SESSION_COOKIE	"hd_session"
#define ANON_COOKIE	"hd_anon"
#define CSRF_FIELD	"csrf"

/*
 * Looks up the session cookie and fills r->user; with a slug (a
 * workspace page), the user's membership of it in the same statement,
 * into r->ws_read (ws_was_read set) for the core's membership check.
 * -1 on a database error.
 */
int	 session_load(struct req *, const char *slug);
/* Signs user_id in: a new session, a new cookie. -1 on error. */
int	 session_start(struct req *, long long user_id);
/* Signs out this browser; -1 (still signed in) when the session could
 * not be deleted. */
int	 session_end(struct req *);
/* Ends every session of the user (password change); -1 on error. */
int	 session_revoke_all(long long user_id);

/* The CSRF token for forms on this page (sets the anonymous cookie when
 * there is no binding yet). */
const char *csrf_token(struct req *);
/* 1 when the POSTed token matches the binding. */
int	 csrf_ok(struct req *);

#endif
