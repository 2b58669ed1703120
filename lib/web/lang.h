/*
 * lang: the language a request is answered in (issue 13, docs/
 * decisions.md "Languages"): the one asked for by ?lang= on a GET (the
 * footer's switch, which also keeps it in the hd_lang cookie), else the
 * signed-in person's setting (users.lang), else the hd_lang cookie, else
 * the best of Accept-Language there is a catalogue for, else English.
 */
#ifndef HD_LANG_H
#define HD_LANG_H

#include <json-c/json.h>

#include "http.h"

#define LANG_COOKIE	"hd_lang"
#define LANG_MAX_AGE	(365LL * 86400)

/* Sets the language of r (i18n_set) from what is known of r so far: call
 * again once the session is loaded. */
void	lang_choose(struct req *r);

/* ?lang= on a GET: keeps the choice in the hd_lang cookie (once per
 * response). */
void	lang_remember(struct req *r);

/* "lang" and, for the footer's switch, "langs" ([{code, name,
 * current}]) in a page's context. */
void	lang_ctx(const struct req *r, struct json_object *ctx);

#endif
