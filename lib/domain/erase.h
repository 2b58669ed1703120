/*
 * erase: the right to erasure (the privacy policy's section 7). A person
 * deletes their account, an admin erases a requester from a workspace, an
 * admin deletes a whole workspace; the web pages and (later) the
 * retention job call the same functions with their actor.
 *
 * Erasure anonymises in place: the account's row stays as "Deleted user"
 * (so tickets stay in their queues and threads stay readable) and every
 * other place that holds the person is scrubbed or deleted: sessions,
 * links, consents, memberships, copies, sign-in failures, invitations and
 * limiter rows of their address, mail to them or naming them, their name
 * and address inside ticket history values, the client address and
 * browser of audit rows about them, the files they uploaded that nobody
 * else's attachment shares, and, where a workspace's erase_text is 1, the
 * text they wrote. docs/decisions.md ("Erasure") says why each.
 *
 * Every function here is "in a transaction" (the caller's db_begin()):
 * all of one erasure commits or none of it. Each writes its own audit
 * row, since only it knows what that row may hold: the erasure's row
 * names no client address, browser, name or address of the person.
 */
#ifndef HD_ERASE_H
#define HD_ERASE_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/* What a removed text reads as. */
#define ERASED_TEXT	"[removed at the author's request]"
/* What an erased person, and the author of erased work, is called. */
#define ERASED_NAME	"Deleted user"

/*
 * What deleting user_id's account meets: *blocked, the workspaces where
 * they are the only admin and others are members ([{ slug, name }]: they
 * must make someone else admin first), and *solo, those where they are
 * the only member (deleted with the account). OK with both set (caller
 * puts them), E_DB.
 */
enum outcome erase_plan(long long user_id, struct json_object **blocked,
	    struct json_object **solo);

/*
 * In a transaction: erases user_id's account and everything that holds
 * them, and deletes the workspaces they are the only member of, but for
 * what a legal hold keeps (holds.h): their tickets, replies, files and
 * the history of tickets under a hold stay as they are, and a solo
 * workspace under any hold stays (without members). The audit row is
 * "user.erase", or "user.erase_held" when holds kept something. OK;
 * E_LAST_ADMIN when erase_plan names a blocking workspace (nothing
 * changed); E_NOT_FOUND for no live account; E_DB, E_DB_UNKNOWN.
 */
enum outcome user_erase(const struct actor *, long long user_id);

/*
 * In a transaction: the actor's workspace's admin erases requester
 * user_id's data from it: their tickets' and replies' text (by the
 * workspace's erase_text), files, copies, history values, the workspace's
 * audit rows and mail about them, invitations and the membership. What
 * they wrote stays under a shared "Deleted user" account. When they are
 * a member of no other workspace the whole account is erased
 * (user_erase; *account_erased 1). OK; E_NOT_FOUND (no such member
 * here); E_CONFLICT (a hold covers their data here:
 * hold_blocking_member names it; nothing changed); E_FORBIDDEN (not a requester: admins and agents are removed
 * from the members list, or delete their own account); E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome workspace_erase_member(const struct actor *, long long user_id,
	    int *account_erased);

/*
 * In a transaction: deletes workspace ws_id and everything of it:
 * tickets (with comments, history, tags, copies, attachments), counts,
 * blobs and their chunks, memberships, invitations, mail and audit rows.
 * One audit row stays, with no workspace, address or browser:
 * "workspace.delete" and the id. OK, E_NOT_FOUND, E_CONFLICT (the
 * workspace has an active legal hold: nothing changed), E_DB,
 * E_DB_UNKNOWN.
 */
enum outcome workspace_delete(const struct actor *, long long ws_id);

/* Whether user_id's live account has a password (else deleting it is
 * confirmed by a mailed link): OK with *has, E_NOT_FOUND, E_DB. */
enum outcome user_has_password(long long user_id, int *has);

/* The workspace's erase_text (0 keep what an erased person wrote, 1
 * replace it): OK with *on, E_NOT_FOUND, E_DB. */
enum outcome ws_erase_text(long long ws_id, int *on);
/* In a transaction. OK, E_DB, E_DB_UNKNOWN. */
enum outcome ws_set_erase_text(long long ws_id, int on);

/*
 * The shared "Deleted user" account that holds what erased requesters
 * wrote in workspaces they were erased from, and the people of tickets
 * retention anonymised: made the first time, never signed in to (no
 * password, deleted). OK with *id, E_DB.
 */
enum outcome erase_placeholder(long long *id);

#endif
