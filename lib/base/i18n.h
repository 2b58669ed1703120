/*
 * i18n: the language of what is being rendered now, and the catalogue
 * lookups that render it (issue 13). English is the source language:
 * a string with no translation is shown as written.
 *
 * The current language is process-wide, because a worker renders one
 * thing at a time: the web core sets it per request, the model per mail
 * it renders for a recipient (and puts it back).
 *
 * C strings shown to a person are written _("...") (or N_("...") where
 * they are only listed, to be looked up later); xgettext extracts them
 * with --keyword=_ --keyword=N_ --keyword=trn:1,2.
 */
#ifndef HD_I18N_H
#define HD_I18N_H

/* Sets the current language ("de"); NULL, "" or unknown: English. */
void		 i18n_set(const char *lang);

/* The current language's code ("en" for English). */
const char	*i18n_lang(void);

/* The languages there are catalogues for, English first, NULL-ended
 * ("en", "de", NULL), and one's own name for it ("Deutsch"; NULL when
 * there is no such catalogue). */
const char *const *i18n_available(void);
const char	*i18n_name(const char *lang);

/* msgid in the current language. */
const char	*tr(const char *msgid);

/* The singular or plural form for n in the current language. */
const char	*trn(const char *singular, const char *plural, unsigned long n);

#define _(s)	tr(s)
#define N_(s)	(s)

#endif
