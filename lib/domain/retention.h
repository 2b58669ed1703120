/*
 * retention: keeping nothing longer than needed (the privacy policy's
 * section 6). What each workspace keeps (its settings page, over the
 * config's retention_* defaults) and the steps helpdesk-retention
 * (tools/retention.c) repeats in short transactions until nothing is
 * left to do. docs/decisions.md, "Retention", says why each default.
 *
 * Every step skips what is under a legal hold (holds.h) and acts as
 * the actor it is given (the program "retention"): ticket history and
 * audit rows name it.
 */
#ifndef HD_RETENTION_H
#define HD_RETENTION_H

#include "actor.h"
#include "outcome.h"

/* The bounds of a workspace's choices, in days; the config's defaults
 * are bounded the same (config.c). 0 is "never" where the least is 0. */
#define RET_CLOSE_SOLVED_MAX	3650
#define RET_CLOSED_MAX		36500
#define RET_AUDIT_MIN		30
#define RET_AUDIT_MAX		3650
#define RET_USAGE_MAX		3650
#define RET_INVITATIONS_MAX	3650
#define RET_QUARANTINE_MAX	3650

/* What a closed ticket's text reads as once anonymised. */
#define RETAINED_TEXT	"[removed after the retention period]"

/* A workspace's retention, in days (-1 in a choice: the default). */
struct retention {
	long long	 close_solved;	/* solved -> closed; 0 never */
	long long	 closed;	/* closed -> deleted/anonymised; 0 never */
	int		 closed_delete;	/* 1 delete, 0 anonymise (-1 default) */
	long long	 audit;
	long long	 usage;
	long long	 invitations;
	long long	 quarantine;	/* mail in quarantine (quarantine.h) */
};

/* The kinds of work, in the order a pass does them (files last: the
 * tickets' steps leave files that nothing references). */
enum ret_kind {
	/* Per workspace (the actor's). */
	RK_CLOSE, RK_CLOSED, RK_AUDIT, RK_USAGE, RK_INVITATIONS,
	RK_QUARANTINE, RK_FILES,
	/* The whole install: data of no workspace. */
	RK_SESSIONS, RK_SIGNIN_FAILURES, RK_TOKENS, RK_RATE_COUNTS,
	RK_OUTBOX, RK_UNCONFIRMED, RK_AUDIT_NONE,
	/* Mail in (issue 12): the quarantine of no workspace, and the
	 * Message-IDs seen. */
	RK_QUARANTINE_NONE, RK_MAIL_SEEN,
	RK__MAX
};
#define RK_FIRST_GLOBAL	RK_SESSIONS

/* "close", "delete"/"anonymise" (RK_CLOSED, by r), "audit", ... */
const char	*ret_kind_name(enum ret_kind, const struct retention *);

/* ws_id's choices (*own, -1 where none) and what applies (*eff, the
 * defaults filled in). OK, E_NOT_FOUND, E_DB. */
enum outcome ws_retention(long long ws_id, struct retention *own,
	    struct retention *eff);
/* The effective retention for choices own. */
void	retention_apply_defaults(const struct retention *own,
	    struct retention *eff);
/* In a transaction: sets ws_id's choices (-1: back to the default). OK,
 * E_INVALID (out of bounds), E_DB, E_DB_UNKNOWN. */
enum outcome ws_set_retention(long long ws_id, const struct retention *);

/*
 * How many rows kind would change now in the actor's workspace (a
 * global kind: the install), under eff: OK with *n, E_DB. Changes
 * nothing (--dry-run).
 */
enum outcome retention_count(const struct actor *, enum ret_kind,
	    const struct retention *eff, long long *n);

/*
 * In a transaction: does at most limit rows of kind (a step may take
 * fewer: files and accounts are heavier), the oldest first, with their
 * history and audit rows: OK with *n rows taken; call again until *n is
 * 0. *cursor (start at 0) carries past rows a step took but left (an
 * account it may not erase), so the next call moves on. E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome retention_step(const struct actor *, enum ret_kind,
	    const struct retention *eff, long long limit, long long *cursor,
	    long long *n);

#endif
