/*
 * timefmt: times as people read them, in their time zone (issue 13).
 *
 * Times leave the model in UTC, in one machine form, "2026-11-30
 * 15:28:37" (MariaDB's DATETIME as the connection, which is UTC, writes
 * it); templates show them with {{time x}} and {{date x}} (tmpl.h),
 * which call the functions below.
 *
 * The current zone is process-wide, like the language (i18n.h): a worker
 * renders one thing at a time; the web core sets the viewer's per request
 * (session_load), the model each mail recipient's while it renders their
 * mail, and puts it back. Conversion is glibc's (TZ, tzset, localtime_r),
 * which reads the zone's file under the zone folder: the worker's
 * sandbox keeps that folder readable (landlock.c).
 *
 * The zones people may choose are the system's list (zone.tab of tzdata,
 * plus "UTC"), read once at start-up, before the sandbox.
 */
#ifndef HD_TIMEFMT_H
#define HD_TIMEFMT_H

#include <time.h>

#include "buf.h"

/* The zone folder: $TZDIR, or /usr/share/zoneinfo. */
const char	*tz_dir(void);

/*
 * Reads the zone names of tz_dir()/zone.tab. Returns 0, or -1 with why
 * in err (no tzdata). Called by start-up; tz_valid and tz_set call it
 * themselves the first time in a program that did not.
 */
int		 tz_load(char *err, size_t errsz);

/* The zones, sorted, "UTC" among them; tz_count() of them. */
size_t		 tz_count(void);
const char	*tz_at(size_t i);

/* Whether name is a zone of the list ("" is not; "UTC" is). */
int		 tz_valid(const char *name);

/* Sets the current zone: NULL, "" or one not in the list is UTC. */
void		 tz_set(const char *name);

/* The current zone's name: "UTC", "America/New_York". */
const char	*tz_name(void);

/* "2026-11-30 15:28:37", "2026-11-30 15:28" or "2026-11-30" in UTC into
 * *t: 0, or -1 when s is none of them. */
int		 time_parse(const char *s, time_t *t);

/* Now in the machine form, UTC ("2026-11-30 15:28:37"; 20 bytes). */
void		 time_now_utc(char out[20]);

/* "2026-11-30T15:28:37Z" (a <time datetime>, an export). */
void		 time_iso(struct buf *, time_t);

/* In the current zone: "30 Nov 2026, 10:28 EST"; with_name adds the
 * zone's name when it says more than its abbreviation: "30 Nov 2026,
 * 10:28 EST (America/New_York)". */
void		 time_absolute(struct buf *, time_t, int with_name);

/* In the current zone: "30 Nov 2026". */
void		 time_date(struct buf *, time_t);

/*
 * t relative to now: "just now", "5 minutes ago", "3 hours ago", "2 days
 * ago", "in 4 days" (through trn()). Returns 0, or -1 (nothing added)
 * when t is a week or more away, where only the absolute time helps.
 */
int		 time_relative(struct buf *, time_t t, time_t now);

/*
 * What {{time x}} renders. html: <time datetime="ISO" title="absolute
 * with the zone's name">relative, or the absolute time</time>; !html
 * (mail): the absolute time with the zone's name. s that does not parse
 * is shown as it is (escaped in html); "" shows nothing. {{date x}}
 * (date_only) shows the day alone.
 */
void		 time_render(struct buf *, const char *s, int html,
		    int date_only);

/* What relative times count from: time(NULL), or a fixed time for tests
 * (0: back to the clock). */
void		 time_fix_now(time_t);

#endif
