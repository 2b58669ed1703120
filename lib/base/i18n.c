/*
 * i18n: English only, until the catalogues land (issue 13, ui-i18n).
 */
#include <stddef.h>
#include <string.h>

#include "i18n.h"

void
i18n_set(const char *lang)
{
	(void)lang;
}

const char *
i18n_lang(void)
{
	return "en";
}

const char *
tr(const char *msgid)
{
	return msgid;
}

const char *
trn(const char *singular, const char *plural, unsigned long n)
{
	return n == 1 ? singular : plural;
}

const char *const *
i18n_available(void)
{
	static const char *const langs[] = { "en", NULL };

	return langs;
}

const char *
i18n_name(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0 ? "English" : NULL;
}
