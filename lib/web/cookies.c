/*
 * cookies: the registry (cookies.h). All of them are HttpOnly and
 * SameSite=Lax, and Secure over HTTPS (resp_cookie); none is read by
 * anyone but this app, and none tracks anyone across sites.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cookies.h"
#include "flash.h"
#include "i18n.h"
#include "lang.h"
#include "session.h"
#include "throttle.h"
#include "twofactor.h"
#include "util.h"

static const struct cookie_def registry[] = {
	{ SESSION_COOKIE, N_("Keeps you signed in: a random token whose hash "
	    "names your session on the server. Removed when you sign out."),
	    -1 },
	{ ANON_COOKIE, N_("Before you sign in, ties the sign-in, sign-up and "
	    "password forms to your browser so that no other site can send "
	    "them for you (CSRF protection). It names nobody."), -1 },
	{ DEVICE_COOKIE, N_("Remembers that this browser signed in to an "
	    "account before, so that others' failed sign-ins never lock you "
	    "out. It holds a signed random value, never your address."),
	    DEVICE_MAX_AGE },
	{ TWOFACTOR_COOKIE, N_("Between your password and the code from your "
	    "authenticator app, remembers which account is signing in: a "
	    "signed account number and expiry time. Removed once you are "
	    "signed in."), TWOFACTOR_MAX_AGE },
	{ FLASH_COOKIE, N_("After you do something (open a ticket, send a "
	    "reply, remove a member...), carries the code of the message "
	    "that says it worked to the next page, which shows it once and "
	    "removes the cookie. It holds a message code and at most a "
	    "ticket number, never anything you typed."), FLASH_MAX_AGE },
	{ LANG_COOKIE, N_("Remembers the language you chose at the foot of a "
	    "page (\"de\" or \"en\"), so that the next pages are in it. "
	    "Set only when you choose one."), LANG_MAX_AGE },
};

const struct cookie_def *
cookie_find(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(registry); i++)
		if (strcmp(registry[i].name, name) == 0)
			return &registry[i];
	return NULL;
}

/* "N years", "N days", "N hours" or "N minutes": the largest whole unit. */
static void
duration(char *out, size_t sz, long long s)
{
	long long n;

	if (s % (365 * 86400) == 0) {
		n = s / (365 * 86400);
		snprintf(out, sz, trn("%lld year", "%lld years",
		    (unsigned long)n), n);
	} else if (s % 86400 == 0) {
		n = s / 86400;
		snprintf(out, sz, trn("%lld day", "%lld days",
		    (unsigned long)n), n);
	} else if (s % 3600 == 0) {
		n = s / 3600;
		snprintf(out, sz, trn("%lld hour", "%lld hours",
		    (unsigned long)n), n);
	} else {
		n = s / 60;
		snprintf(out, sz, trn("%lld minute", "%lld minutes",
		    (unsigned long)n), n);
	}
}

static void
lifetime(const struct cookie_def *c, char *out, size_t sz)
{
	char idle[32], max[32];

	if (c->max_age >= 0) {
		duration(out, sz, c->max_age);
		return;
	}
	if (strcmp(c->name, SESSION_COOKIE) != 0) {
		snprintf(out, sz, "%s", _("until you close your browser"));
		return;
	}
	duration(idle, sizeof(idle), cfg.session_idle);
	duration(max, sizeof(max), cfg.session_max);
	snprintf(out, sz, _("until you close your browser; the session ends "
	    "after %s without a request, or %s after sign-in"), idle, max);
}

struct json_object *
cookies_json(void)
{
	struct json_object *list = json_object_new_array(), *o;
	char life[256];
	size_t i;

	for (i = 0; i < nitems(registry); i++) {
		lifetime(&registry[i], life, sizeof(life));
		o = json_object_new_object();
		json_object_object_add(o, "name",
		    json_object_new_string(registry[i].name));
		json_object_object_add(o, "purpose",
		    json_object_new_string(_(registry[i].purpose)));
		json_object_object_add(o, "lifetime",
		    json_object_new_string(life));
		json_object_array_add(list, o);
	}
	return list;
}
