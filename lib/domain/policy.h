/*
 * policy: the privacy policy and the terms the operator configured
 * (policy_file, terms_file: Markdown), rendered once at start-up, and who
 * has seen which version (policy_version) of them.
 *
 * Signing up accepts the current version (policy_acks how 'signup'). A
 * person with no row for the current version (the operator changed
 * policy_version since) is shown a notice on their next page, once, and
 * that is recorded (how 'notice'): who, which version, when.
 */
#ifndef HD_POLICY_H
#define HD_POLICY_H

#include <stddef.h>

#include "actor.h"
#include "outcome.h"

/* Bytes of a policy or terms file. */
#define POLICY_FILE_MAX	(256 * 1024)

/*
 * Reads and renders policy_file and terms_file, with "{contact_email}"
 * replaced by policy_contact(). 0, or -1 with the file and the reason in
 * err: a program does not start without its policy.
 */
int		 policy_load(char *err, size_t errsz);
/* The rendered HTML (safe for {{raw}}); "" before policy_load. */
const char	*policy_html(void);
const char	*terms_html(void);
/* Where privacy requests go: contact_email, else mail_from; "" when
 * neither is configured. */
const char	*policy_contact(void);

/* In a transaction: user_id accepted the current version by signing up.
 * OK, E_DB, E_DB_UNKNOWN. */
enum outcome	 policy_accept_signup(const struct actor *,
		    long long user_id);
/*
 * The actor's user was shown the notice of the current version: records
 * it (and its audit row) in a transaction of its own, once. OK (also
 * when it was recorded before), E_INVALID (the actor has no user), E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome	 policy_notice_shown(const struct actor *);

#endif
