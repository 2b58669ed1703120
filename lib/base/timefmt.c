/*
 * timefmt: the zone list, the current zone, and times in words.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "escape.h"
#include "i18n.h"
#include "log.h"
#include "timefmt.h"
#include "util.h"

#define TZ_UTC		"UTC"
#define TZ_MAXNAME	64	/* as users.time_zone */
#define MINUTE		60
#define HOUR		(60 * MINUTE)
#define DAY		(24 * HOUR)
#define WEEK		(7 * DAY)

static char	**zones;	/* sorted */
static size_t	  nzones;
static int	  loaded;
static char	  current[TZ_MAXNAME] = TZ_UTC;
static int	  applied;	/* TZ says current */
static time_t	  fixed_now;

/* Months, written as people abbreviate them; translated when shown. */
static const char *const months[12] = {
	N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
	N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")
};

const char *
tz_dir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && *d == '/' ? d : "/usr/share/zoneinfo";
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
zones_add(size_t *cap, const char *name, size_t len)
{
	if (len == 0 || len >= TZ_MAXNAME)
		return;
	if (nzones == *cap) {
		*cap = *cap ? *cap * 2 : 512;
		zones = xrealloc(zones, *cap * sizeof(*zones));
	}
	zones[nzones++] = xstrndup(name, len);
}

/* zone.tab: "#" comments; code TAB coordinates TAB zone [TAB comment]. */
static void
zones_line(size_t *cap, const char *line)
{
	const char *z, *end;

	if (line[0] == '#' || (z = strchr(line, '\t')) == NULL ||
	    (z = strchr(z + 1, '\t')) == NULL)
		return;
	z++;
	end = z + strcspn(z, "\t\r\n");
	zones_add(cap, z, (size_t)(end - z));
}

int
tz_load(char *err, size_t errsz)
{
	char path[512], line[512];
	size_t cap = 0, i, j;
	FILE *f;

	/* Again (a test): the list read now replaces the last one. */
	for (i = 0; i < nzones; i++)
		free(zones[i]);
	free(zones);
	zones = NULL;
	nzones = 0;
	loaded = 1;
	snprintf(path, sizeof(path), "%s/zone.tab", tz_dir());
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s (is tzdata installed?)", path,
		    strerror(errno));
		return -1;
	}
	zones_add(&cap, TZ_UTC, strlen(TZ_UTC));
	while (fgets(line, sizeof(line), f) != NULL)
		zones_line(&cap, line);
	fclose(f);
	qsort(zones, nzones, sizeof(*zones), cmp_name);
	/* Several countries name one zone: once in the list. */
	for (i = j = 0; i < nzones; i++) {
		if (j > 0 && strcmp(zones[j - 1], zones[i]) == 0)
			free(zones[i]);
		else
			zones[j++] = zones[i];
	}
	nzones = j;
	return 0;
}

static void
ensure_loaded(void)
{
	char err[600];

	if (!loaded && tz_load(err, sizeof(err)) == -1)
		log_err("time zones: %s", err);
}

size_t
tz_count(void)
{
	ensure_loaded();
	return nzones;
}

const char *
tz_at(size_t i)
{
	return i < nzones ? zones[i] : NULL;
}

int
tz_valid(const char *name)
{
	ensure_loaded();
	if (name == NULL || *name == '\0' || nzones == 0)
		return 0;
	return bsearch(&name, zones, nzones, sizeof(*zones), cmp_name) != NULL;
}

void
tz_set(const char *name)
{
	char tz[TZ_MAXNAME + 1];

	if (!tz_valid(name))
		name = TZ_UTC;
	if (applied && strcmp(name, current) == 0)
		return;
	if (name != current)
		snprintf(current, sizeof(current), "%s", name);
	applied = 1;
	/* UTC needs no file; a zone is read from tz_dir() by tzset. */
	if (strcmp(name, TZ_UTC) == 0)
		snprintf(tz, sizeof(tz), "UTC0");
	else
		snprintf(tz, sizeof(tz), ":%s", name);
	setenv("TZ", tz, 1);
	tzset();
}

const char *
tz_name(void)
{
	return current;
}

int
time_parse(const char *s, time_t *t)
{
	struct tm tm;
	int n = 0, y, mo, d, h = 0, mi = 0, sec = 0;

	if (s == NULL)
		return -1;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	if (s[10] != '\0') {
		n = 0;
		if (sscanf(s + 10, " %2d:%2d%n", &h, &mi, &n) != 2 ||
		    n != 6)
			return -1;
		if (s[16] != '\0' && (sscanf(s + 16, ":%2d%n", &sec, &n) != 1
		    || n != 3 || s[19] != '\0'))
			return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || h < 0 || mi < 0 || sec < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	return 0;
}

void
time_fix_now(time_t t)
{
	fixed_now = t;
}

static time_t
now(void)
{
	return fixed_now != 0 ? fixed_now : time(NULL);
}

void
time_now_utc(char out[20])
{
	struct tm tm;
	time_t t = now();

	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void
time_iso(struct buf *b, time_t t)
{
	struct tm tm;
	char s[32];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

static void
local(time_t t, struct tm *tm)
{
	/* A program that never set a zone shows UTC, not the machine's. */
	if (!applied)
		tz_set(current);
	if (localtime_r(&t, tm) == NULL)
		gmtime_r(&t, tm);
}

void
time_date(struct buf *b, time_t t)
{
	struct tm tm;

	local(t, &tm);
	buf_printf(b, "%d %s %d", tm.tm_mday, _(months[tm.tm_mon]),
	    tm.tm_year + 1900);
}

void
time_absolute(struct buf *b, time_t t, int with_name)
{
	struct tm tm;
	const char *abbr;

	local(t, &tm);
	abbr = tm.tm_zone != NULL && *tm.tm_zone != '\0' ? tm.tm_zone :
	    current;
	/* The zone we call UTC is "UTC" whatever glibc names it. */
	if (strcmp(current, TZ_UTC) == 0)
		abbr = TZ_UTC;
	buf_printf(b, "%d %s %d, %02d:%02d %s", tm.tm_mday,
	    _(months[tm.tm_mon]), tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    abbr);
	if (with_name && strcmp(abbr, current) != 0)
		buf_printf(b, " (%s)", current);
}

/* fmt with its "%lu" replaced by n: a translation is text, never a
 * format string. */
static void
put_count(struct buf *b, const char *fmt, unsigned long n)
{
	const char *p = strstr(fmt, "%lu");

	if (p == NULL) {
		buf_puts(b, fmt);
		return;
	}
	buf_add(b, fmt, (size_t)(p - fmt));
	buf_printf(b, "%lu", n);
	buf_puts(b, p + 3);
}

int
time_relative(struct buf *b, time_t t, time_t ref)
{
	double d = difftime(ref, t);
	int past = d >= 0;
	unsigned long n;

	if (!past)
		d = -d;
	if (d >= WEEK)
		return -1;
	if (d < MINUTE) {
		buf_puts(b, _("just now"));
	} else if (d < HOUR) {
		n = (unsigned long)(d / MINUTE);
		put_count(b, past ? trn("%lu minute ago", "%lu minutes ago",
		    n) : trn("in %lu minute", "in %lu minutes", n), n);
	} else if (d < DAY) {
		n = (unsigned long)(d / HOUR);
		put_count(b, past ? trn("%lu hour ago", "%lu hours ago", n) :
		    trn("in %lu hour", "in %lu hours", n), n);
	} else {
		n = (unsigned long)(d / DAY);
		put_count(b, past ? trn("%lu day ago", "%lu days ago", n) :
		    trn("in %lu day", "in %lu days", n), n);
	}
	return 0;
}

void
time_render(struct buf *b, const char *s, int html, int date_only)
{
	struct buf abs = BUF_INIT;
	time_t t;

	if (s == NULL || *s == '\0')
		return;
	if (time_parse(s, &t) == -1) {
		if (html)
			html_escape(b, s, strlen(s));
		else
			buf_puts(b, s);
		return;
	}
	time_absolute(&abs, t, 1);
	if (!html) {
		if (date_only)
			time_date(b, t);
		else
			buf_puts(b, buf_str(&abs));
		buf_free(&abs);
		return;
	}
	buf_puts(b, "<time datetime=\"");
	time_iso(b, t);
	buf_puts(b, "\" title=\"");
	html_escape(b, buf_str(&abs), abs.len);
	buf_puts(b, "\">");
	buf_reset(&abs);
	if (date_only)
		time_date(&abs, t);
	else if (time_relative(&abs, t, now()) == -1)
		time_absolute(&abs, t, 0);
	html_escape(b, buf_str(&abs), abs.len);
	buf_free(&abs);
	buf_puts(b, "</time>");
}
