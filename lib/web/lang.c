/*
 * lang: choosing the language of a request (lang.h).
 */
#include <string.h>

#include "i18n.h"
#include "io.h"
#include "lang.h"
#include "response.h"
#include "util.h"

/* A code there is a catalogue for ("en" included), or NULL. */
static const char *
known(const char *lang)
{
	return lang != NULL && *lang != '\0' && i18n_name(lang) != NULL ?
	    lang : NULL;
}

static const char *
asked(const struct req *r)
{
	if (r->method != M_GET && r->method != M_HEAD)
		return NULL;
	return known(kv_get(&r->query, "lang"));
}

void
lang_choose(struct req *r)
{
	const char *lang;

	if ((lang = asked(r)) == NULL && r->user != NULL)
		lang = known(r->user->lang);
	if (lang == NULL)
		lang = known(kv_get(&r->cookies, LANG_COOKIE));
	if (lang == NULL && r->io != NULL)
		lang = i18n_negotiate(io_env(r->io, "HTTP_ACCEPT_LANGUAGE"));
	i18n_set(lang);
}

void
lang_remember(struct req *r)
{
	const char *lang = asked(r), *had;

	had = kv_get(&r->cookies, LANG_COOKIE);
	if (lang != NULL && (had == NULL || strcmp(had, lang) != 0))
		resp_cookie(r, LANG_COOKIE, lang, LANG_MAX_AGE);
}

void
lang_ctx(const struct req *r, struct json_object *ctx)
{
	const char *const *l = i18n_available();
	const char *cur = i18n_lang();
	struct json_object *list, *o;

	json_object_object_add(ctx, "lang", json_object_new_string(cur));
	/* One language, or a person whose account names theirs (the
	 * account page changes it): no switch. */
	if (l[1] == NULL || (r->user != NULL && known(r->user->lang)))
		return;
	list = json_object_new_array();
	for (; *l != NULL; l++) {
		o = json_object_new_object();
		json_object_object_add(o, "code", json_object_new_string(*l));
		json_object_object_add(o, "name",
		    json_object_new_string(i18n_name(*l)));
		json_object_object_add(o, "current",
		    json_object_new_boolean(strcmp(*l, cur) == 0));
		json_object_array_add(list, o);
	}
	json_object_object_add(ctx, "langs", list);
}
