/*
 * holds: legal holds (the privacy policy's "subject to legal exceptions"
 * and "resolve disputes"). An admin keeps data back from retention and
 * erasure while a dispute or a legal obligation needs it: a whole
 * workspace, one ticket, or one person's data in the workspace, each with
 * a reason. A hold is active until lifted; lifted holds stay listed
 * (sql/015-legal-holds.sql), so the history of holds is itself kept.
 *
 * Who keeps what (docs/decisions.md, "Legal holds"): erasure of a person
 * (erase.c) keeps their tickets, replies, files and the history of the
 * tickets a hold covers, and erases the rest; an admin's erasure of a
 * requester under a hold here is refused; a workspace with any active
 * hold cannot be deleted; the retention program skips held tickets and
 * people (the *_FREE_SQL predicates below). Every SQL test of a hold is
 * in this header, so each job skips exactly the same data.
 */
#ifndef HD_HOLDS_H
#define HD_HOLDS_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

enum hold_scope {
	HOLD_NONE,
	HOLD_WORKSPACE,
	HOLD_TICKET,
	HOLD_PERSON,
	HOLD__MAX
};

#define HOLD_REASON_MAX	500	/* characters, as legal_holds.reason */

/* "workspace", "ticket", "person"; HOLD_NONE for anything else. */
const char	*hold_scope_name(enum hold_scope);
enum hold_scope	 hold_scope_parse(const char *);

/*
 * SQL predicate: a row of workspace column WS and ticket column TID,
 * written by (or about) the person bound by its one "?" (their user id),
 * is under an active hold: the workspace's, the ticket's, or the
 * person's in that workspace. Used by erasure (erase.c).
 */
#define HOLD_KEEPS(WS, TID) \
	" EXISTS (SELECT 1 FROM legal_holds h WHERE h.workspace_id = " WS \
	" AND h.lifted_at IS NULL AND (h.scope = 'workspace' OR" \
	" (h.scope = 'ticket' AND h.ticket_id = " TID ") OR" \
	" (h.scope = 'person' AND h.user_id = ?))) "

/* The ticket aliased "t" is under no active hold: "... AND"
 * HOLD_TICKET_FREE_SQL. Retention (retention.c). A person's hold covers
 * the tickets they requested and those they wrote on, as erasure's
 * HOLD_KEEPS keeps what they wrote anywhere in the workspace. */
#define HOLD_TICKET_FREE_SQL \
	" NOT EXISTS (SELECT 1 FROM legal_holds h" \
	" WHERE h.workspace_id = t.workspace_id AND h.lifted_at IS NULL" \
	" AND (h.scope = 'workspace'" \
	" OR (h.scope = 'ticket' AND h.ticket_id = t.id)" \
	" OR (h.scope = 'person' AND (h.user_id = t.requester_id" \
	" OR EXISTS (SELECT 1 FROM comments hc WHERE hc.ticket_id = t.id" \
	" AND hc.author_id = h.user_id)))))"

/* The account aliased "u" is under no active hold: none on the person
 * in any workspace, and none on a whole workspace they belong to. */
#define HOLD_USER_FREE_SQL \
	" NOT EXISTS (SELECT 1 FROM legal_holds h" \
	" WHERE h.lifted_at IS NULL" \
	" AND ((h.scope = 'person' AND h.user_id = u.id)" \
	" OR (h.scope = 'workspace' AND h.workspace_id IN" \
	" (SELECT m.workspace_id FROM memberships m" \
	" WHERE m.user_id = u.id))))"

/* The quarantined message in table or alias Q (quarantine.h) is under
 * no active hold: none on its workspace, and none on the person who sent
 * it (by account, or by the address of one). Retention (retention.c). */
#define HOLD_QUARANTINE_FREE(Q) \
	" NOT EXISTS (SELECT 1 FROM legal_holds h" \
	" WHERE h.workspace_id = " Q ".workspace_id AND h.lifted_at IS NULL" \
	" AND (h.scope = 'workspace' OR (h.scope = 'person' AND" \
	" (h.user_id = " Q ".sender_id OR h.user_id IN (SELECT hu.id" \
	" FROM users hu WHERE hu.email = " Q ".from_addr)))))"

/*
 * In a transaction: places a hold in the actor's workspace, audited
 * ("hold.place", object "hold"). ticket_num (the number the pages show)
 * for HOLD_TICKET, user_id (a member) for HOLD_PERSON; reason is 1 to
 * HOLD_REASON_MAX characters. OK with *id; E_NOT_FOUND (no such ticket
 * or member here); E_INVALID (scope or reason); E_DB, E_DB_UNKNOWN.
 */
enum outcome hold_place(const struct actor *, enum hold_scope,
	    long long ticket_num, long long user_id, const char *reason,
	    long long *id);

/* In a transaction: lifts the active hold id of the actor's workspace,
 * audited ("hold.lift"). OK, E_NOT_FOUND (no active hold of that id
 * here), E_DB, E_DB_UNKNOWN. */
enum outcome hold_lift(const struct actor *, long long id);

/*
 * The holds of the actor's workspace, active first, then lifted, newest
 * first: [{ id, scope, ticket_number, person_name, reason, placed_by,
 * placed_at, lifted_by, lifted_at, active }]. NULL on a database error.
 */
struct json_object *hold_list(const struct actor *);

/* One active hold of the actor's workspace, as hold_list shows it: OK
 * with *out (caller puts), E_NOT_FOUND, E_DB. */
enum outcome hold_get(const struct actor *, long long id,
	    struct json_object **out);

/*
 * Predicates, each 1 (held), 0 (not) or -1 (database error):
 * hold_on_workspace, a workspace-wide hold; hold_on_ticket, a hold of the
 * ticket or of its workspace; hold_on_person, a hold of the person in the
 * workspace or of the workspace; hold_any, any active hold of the
 * workspace (which stops its deletion).
 */
int	hold_on_workspace(long long ws_id);
int	hold_on_ticket(long long ws_id, long long ticket_id);
int	hold_on_person(long long ws_id, long long user_id);
int	hold_any(long long ws_id);

/* The reasons of the active holds that cover ticket_id of the actor's
 * workspace (its own and the workspace's): [{ scope, reason }], NULL on
 * a database error. For admins' ticket page. */
struct json_object *hold_ticket_reasons(const struct actor *,
	    long long ticket_id);

/*
 * What of user_id's data active holds keep, for the person themselves:
 * [{ workspace, scope, ticket_number, reason, placed_at }], one per hold
 * that covers something of theirs: a workspace where they are a member or
 * wrote something, a ticket they opened or replied on, or themselves.
 * Names no other person. NULL on a database error. _rows: the same as
 * a result to read (their export), NULL on a database error.
 */
struct json_object *hold_for_person(long long user_id);
struct dbres;
struct dbres	*hold_for_person_rows(long long user_id);

/*
 * The first active hold of the actor's workspace that covers requester
 * user_id's data there (the workspace's, theirs, or one of a ticket they
 * opened or replied on), which stops an admin erasing them: OK with
 * *hold ({ scope, ticket_number, reason }, caller puts) or NULL for
 * none; E_DB.
 */
enum outcome hold_blocking_member(const struct actor *, long long user_id,
	    struct json_object **hold);

#endif
