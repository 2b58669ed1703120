/*
 * i18n: English only, until the catalogues land (issue 13, ui-i18n).
 */
#include <stddef.h>

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
