/* util: allocation that cannot fail, bounded numbers, small string helpers. */
#ifndef HD_UTIL_H
#define HD_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	 die(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * Parses a whole decimal string into [min, max]. Returns 0 and sets *out,
 * or -1 for empty, trailing junk, or out of range. Never atoi.
 */
int	 parse_int(const char *, long long min, long long max, long long *out);

/* The value of one hex digit, or -1. */
int	 hex_value(int);

int	 str_eq(const char *, const char *);	/* NULL-safe */
int	 str_startswith(const char *, const char *);
void	 str_lower_ascii(char *);
int	 ct_memeq(const void *, const void *, size_t);	/* constant time */

/*
 * 1 when s is a path on this site that every browser resolves to this
 * site: "/", not followed by another "/", then printable ASCII only: no
 * backslash, space, control or non-ASCII byte anywhere. Browsers drop TAB,
 * CR and LF anywhere in a URL and read a backslash as "/", so "/<TAB>/host"
 * and "/\\host" both mean "//host", another site. Every redirect target
 * passes this; anything else is refused, never cleaned.
 */
int	 url_is_local(const char *s);

#endif
