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

#include <stddef.h>

/* Catalogues at most (English, which has none, is not counted). */
#define I18N_MAX	8

/*
 * Reads every dir/LANG.mo (gettext's compiled catalogue, LANG two or
 * three lowercase letters) into memory: once per process, before the
 * sandbox closes the disk, and before tmpl_load (which translates the
 * templates with them). A translation whose {{tags}}, <tags> or printf
 * conversions differ from its msgid's is logged and left out (English
 * is shown). No such dir: English only, logged. Returns 0, or -1 with
 * "FILE: why" in err for a catalogue that is not one.
 */
int		 i18n_load(const char *dir, char *err, size_t errsz);

/* The same {{..}} tags, <..> tags and % conversions, in any order. */
int		 i18n_same_tags(const char *a, const char *b);

/*
 * The best language of an Accept-Language header there is a catalogue
 * for ("de-DE;q=0.9" is "de"), "en" when English ranks above every one,
 * or NULL when the header names none of ours.
 */
const char	*i18n_negotiate(const char *accept);

/* Sets the current language ("de"); NULL, "" or unknown: English. */
void		 i18n_set(const char *lang);

/* The current language's code ("en" for English). */
const char	*i18n_lang(void);

/* The languages there are catalogues for, English first, NULL-ended
 * ("en", "de", NULL), and one's own name for it ("Deutsch"; NULL when
 * there is no such catalogue). */
const char *const *i18n_available(void);
const char	*i18n_name(const char *lang);

/* msgid in the current language. A translation keeps the msgid's
 * printf conversions (msgfmt --check and i18n_load check it), so the
 * compiler checks _("%s ...") as a format like the literal itself. */
const char	*tr(const char *msgid) __attribute__((format_arg(1)));

/* The singular or plural form for n in the current language. */
const char	*trn(const char *singular, const char *plural, unsigned long n)
		    __attribute__((format_arg(1)))
		    __attribute__((format_arg(2)));

#define _(s)	tr(s)
#define N_(s)	(s)

#endif
