/*
 * cookies: the one list of every cookie the app sets, what it is for and
 * how long it lives. resp_cookie refuses a name that is not here, and the
 * /cookies page is rendered from it, so the page cannot fall behind the
 * code (tests/integration/cookies.test.js drives every flow that sets
 * one and compares).
 */
#ifndef HD_COOKIES_H
#define HD_COOKIES_H

#include <json-c/json.h>

struct cookie_def {
	const char	*name;
	const char	*purpose;	/* one sentence */
	long long	 max_age;	/* seconds; -1: until the browser
					   closes */
};

/* The registry entry for name, or NULL. */
const struct cookie_def *cookie_find(const char *name);
/* [{ name, purpose, lifetime }] for the cookies page, lifetime in words
 * (with the configured session limits). */
struct json_object *cookies_json(void);

#endif
