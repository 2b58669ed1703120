/*
 * holdsql: the one SQL test of "not under an active legal hold"
 * (sql/015-legal-holds.sql), as constant fragments to append to a WHERE
 * clause, so every job that deletes or anonymises (retention, and any
 * other that needs it) skips exactly the same data. A hold is active
 * while lifted_at IS NULL; it covers a whole workspace, one ticket, or
 * one person's data in a workspace (the tickets they requested there).
 *
 * Both read legal_holds through its (workspace_id, lifted_at) and
 * (user_id, lifted_at) keys: a few rows per workspace at most.
 */
#ifndef HD_HOLDSQL_H
#define HD_HOLDSQL_H

/* The ticket aliased "t" is under no active hold: "... AND"
 * HOLD_TICKET_FREE_SQL. */
#define HOLD_TICKET_FREE_SQL \
	" NOT EXISTS (SELECT 1 FROM legal_holds h" \
	" WHERE h.workspace_id = t.workspace_id AND h.lifted_at IS NULL" \
	" AND (h.scope = 'workspace'" \
	" OR (h.scope = 'ticket' AND h.ticket_id = t.id)" \
	" OR (h.scope = 'person' AND h.user_id = t.requester_id)))"

/* The account aliased "u" is under no active hold: none on the person
 * in any workspace, and none on a whole workspace they belong to. */
#define HOLD_USER_FREE_SQL \
	" NOT EXISTS (SELECT 1 FROM legal_holds h" \
	" WHERE h.lifted_at IS NULL" \
	" AND ((h.scope = 'person' AND h.user_id = u.id)" \
	" OR (h.scope = 'workspace' AND h.workspace_id IN" \
	" (SELECT m.workspace_id FROM memberships m" \
	" WHERE m.user_id = u.id))))"

#endif
