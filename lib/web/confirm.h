/*
 * confirm: the step before anything destructive (revoking a session or
 * an invitation, removing a member, leaving a workspace). The first
 * POST, without confirm=1, changes nothing and answers with a page that
 * says what will happen, whose Confirm button posts the same form again
 * to the same path with confirm=1 (and the CSRF token); Cancel is a link
 * back. Plain HTML: no script.
 */
#ifndef HD_CONFIRM_H
#define HD_CONFIRM_H

#include <json-c/json.h>

#include "http.h"

struct confirm {
	const char	*question;	/* the heading: "Remove Sam Lee from
					   Acme Support?" */
	const char	*consequence;	/* what follows from it */
	const char	*button;	/* "Remove member" */
	const char	*cancel;	/* a local path back */
};

/* The row of id in a list from the model ([{ id, ... }]), or NULL; and
 * a row's key as a string ("" when absent): for the question's names. */
struct json_object *confirm_row(struct json_object *list, long long id);
const char *confirm_str(struct json_object *row, const char *key);
/* Whether the form carries confirm=1. */
int	confirm_given(const struct req *);
/* The confirmation page for r's own path, 200. */
int	confirm_page(struct req *, const struct confirm *);

#endif
