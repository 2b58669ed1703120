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
 * Mail is rendered here, from html/mail/ticket.html and .txt (tmpl.h),
 * with absolute links made from base_url. Without mail configured
 * (base_url, mail_from, mail_secret) nothing is enqueued and every
 * function answers OK: the web programs run without mail.
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
 * In the transaction of the change, after it (each reads the ticket as
 * it now is). OK (also when nobody is told), E_DB. A recipient whose
 * address cannot be written in a header is skipped and logged.
 */
enum outcome notify_ticket_new(const struct actor *, long long ticket_id);
/* comment_id must be public: a note is never mailed. */
enum outcome notify_reply(const struct actor *, long long ticket_id,
	    long long comment_id);
enum outcome notify_assigned(const struct actor *, long long ticket_id,
	    long long assignee_id);
enum outcome notify_solved(const struct actor *, long long ticket_id);

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
