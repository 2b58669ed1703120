/*
 * notify: the mail a change sends, enqueued in the change's own
 * transaction (outbox.h), so that a reply and its notifications commit
 * together or not at all.
 *
 * Who is told of what:
 *   new ticket   the workspace's agents and admins, or the one address
 *                its settings name, or nobody (ws_new_ticket_mail)
 *   reply        a public reply: the requester and the people copied
 *   assigned     the new assignee
 *   solved       the requester
 * never the person who made the change, never anyone who turned that
 * kind off (notify_prefs), and only members of the workspace whose
 * address recipient_ok accepts. An internal note is never mailed: agents
 * read notes in the ticket, and a requester may never read one.
 *
 * A change does not render its mail: it writes one event row (what
 * happened, by ids: sql/026) in its own transaction, and the mailer
 * (tools/mailer.c) fans each event out with notify_fanout, in a
 * transaction of its own: the recipients as they are then, each one's
 * mail rendered in their language and time zone from
 * html/mail/ticket.html and .txt (tmpl.h) with absolute links made from
 * base_url, one outbox row each, and the event deleted with them. So a
 * new ticket costs its request one small INSERT however many agents are
 * told, and an event becomes mail once (a mailer killed mid-way rolls
 * back; two mailers never take the same event). Invitations and account
 * mail (one recipient, the request's own) are still rendered and
 * enqueued directly (notify_invite, mailout.h). docs/decisions.md,
 * "Notifications through events".
 *
 * Without mail configured (base_url, mail_from, mail_secret) nothing is
 * written and every function answers OK: the web programs run without
 * mail.
 */
#ifndef HD_NOTIFY_H
#define HD_NOTIFY_H

#include <json-c/json.h>

#include "actor.h"
#include "outcome.h"

/* The kinds a person can turn off, in the order the account page lists
 * them. */
enum notify_kind {
	NK_TICKET_NEW,
	NK_REPLY,
	NK_ASSIGNED,
	NK_SOLVED,
	NK__MAX
};

/* "ticket_new", "reply", "assigned", "solved": the names stored in
 * notification_prefs and used as form fields. */
const char	*notify_kind_name(enum notify_kind);

/* 1 when base_url, mail_from and mail_secret are set. */
int	notify_configured(void);

/*
 * In the transaction of the change: one event (a row of notify_events).
 * OK (also when nothing is written), E_DB. Who is told, and what the
 * mail says (the ticket as it is then), is decided at the fan-out; a
 * recipient whose address cannot be written in a header is skipped and
 * logged there.
 */
enum outcome notify_ticket_new(const struct actor *, long long ticket_id);
/* comment_id must be public: a note is never mailed. */
enum outcome notify_reply(const struct actor *, long long ticket_id,
	    long long comment_id);
enum outcome notify_assigned(const struct actor *, long long ticket_id,
	    long long assignee_id);
enum outcome notify_solved(const struct actor *, long long ticket_id);

/*
 * The mailer's side: fans out the oldest due event (see above) in a
 * transaction of its own, adding *mailed outbox rows. 1 when an event
 * was taken (fanned out; or, failing, postponed with a growing delay and
 * given up after mail_give_up_after), 0 when none is due, -1 when the
 * database failed. Needs the templates and catalogues loaded.
 */
int	notify_fanout(int *mailed);

/* In the transaction that creates the invitation: the link to email.
 * OK, E_INVALID (the address cannot be mailed), E_DB. */
enum outcome notify_invite(long long ws_id, const char *email,
	    long long invited_by, const char *token);

/*
 * Preferences: [{ kind, on }] for every kind, in enum order; NULL on a
 * database error. notify_prefs_set turns each kind on or off (on[kind]).
 * OK, E_DB.
 */
struct json_object *notify_prefs(long long user_id);
enum outcome notify_prefs_set(long long user_id, const int on[NK__MAX]);

/*
 * Where mail about a workspace's new tickets goes: NULL in *to (every
 * agent and admin), "" (nobody) or one address; caller frees. OK, E_DB.
 * ws_set_new_ticket_mail: OK, E_INVALID (not one plain address), E_DB.
 */
enum outcome ws_new_ticket_mail(long long ws_id, char **to);
enum outcome ws_set_new_ticket_mail(long long ws_id, const char *to);

/* base_url + path into out (absolute links in mail and for the admin's
 * invitation link); path starts with "/". 0, or -1 without base_url. */
struct buf;
int	notify_url(struct buf *out, const char *path);

#endif
