/*
 * consent: optional processing a person may allow or refuse (the
 * policy's "objection and restriction"). Each purpose is off until its
 * person grants it, and may be withdrawn at any time; every grant and
 * withdrawal is a row of its own in `consents` (append-only), with the
 * time and the policy version in force, and the newest row per purpose
 * is the current answer.
 *
 * Purposes: usage (usage analytics) and product_mail (product email).
 * Neither is processed yet (the next issue builds them): whatever does
 * must ask consent_given first.
 */
#ifndef HD_CONSENT_H
#define HD_CONSENT_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

enum purpose {
	PURPOSE_NONE,
	PURPOSE_USAGE,
	PURPOSE_PRODUCT_MAIL,
	PURPOSE__MAX
};

/* "usage", "product_mail"; the purpose's label and one sentence. */
const char	*purpose_name(enum purpose);
const char	*purpose_label(enum purpose);
const char	*purpose_description(enum purpose);
/* The purpose named, or PURPOSE_NONE (a form's F_ENUM parser). */
int		 purpose_parse(const char *);

/* 1 when user_id's newest answer for p is a grant, 0 when it is a
 * withdrawal or there is none, -1 on a database error. */
int		 consent_given(long long user_id, enum purpose);
/*
 * In a transaction: the actor's user grants (1) or withdraws (0) p,
 * under the current policy_version, with its audit row
 * ("consent.grant", "consent.withdraw"). OK, E_INVALID (no such purpose,
 * or no user), E_DB, E_DB_UNKNOWN.
 */
enum outcome	 consent_set(const struct actor *, enum purpose,
		    int granted);
/* Every purpose with its current answer, in the order above:
 * [{ purpose, label, description, granted }]. NULL on a database error. */
struct json_object *consent_state(long long user_id);
/* Every grant and withdrawal, newest first: [{ purpose, label, granted,
 * time, policy_version }]. NULL on a database error. */
struct json_object *consent_history(long long user_id);

#endif
