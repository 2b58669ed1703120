/*
 * flash: the one-time message after an action, carried across the
 * redirect that follows it (POST, 303, GET). The cookie FLASH_COOKIE
 * holds a code from the fixed table in flash.c and at most a number (a
 * ticket's), never text: nothing the user typed travels in it. The next
 * page read (page_ctx) shows the message in layout.html's role="status"
 * box and clears the cookie, so a reload does not show it again.
 */
#ifndef HD_FLASH_H
#define HD_FLASH_H

#include <json-c/json.h>

#include "http.h"

#define FLASH_COOKIE	"hd_flash"
#define FLASH_MAX_AGE	60	/* seconds: only the redirect's next page */

enum flash {
	FLASH_TICKET_OPENED,	/* with the ticket's number */
	FLASH_TRIAGE_SAVED,
	FLASH_REPLY_SENT,
	FLASH_NOTE_ADDED,
	FLASH_WS_CREATED,
	FLASH_WS_JOINED,
	FLASH_INVITE_ACCEPTED,
	FLASH_WS_LEFT,
	FLASH_MEMBER_REMOVED,
	FLASH_INVITE_REVOKED,
	FLASH_SESSION_ENDED,
	FLASH_SESSIONS_ENDED,
	FLASH_PASSWORD_CHANGED,
	FLASH_PASSWORD_RESET,
	FLASH_EMAIL_CONFIRMED,
	FLASH_EMAIL_LINK_SENT,
	FLASH_CONFIRM_RESENT,
	FLASH_NOTIFICATIONS_SAVED,
	FLASH_NAME_CHANGED,
	FLASH_CONSENT_GRANTED,
	FLASH_CONSENT_WITHDRAWN,
	FLASH_2FA_REMOVED,
	FLASH_2FA_RECOVERY_USED,
	FLASH_ROLE_CHANGED,
	FLASH_MEMBER_SUSPENDED,
	FLASH_MEMBER_UNSUSPENDED,
	FLASH_REQUESTER_ERASED,
	FLASH_SETTINGS_SAVED,
	FLASH_HOLD_PLACED,
	FLASH_HOLD_LIFTED,
	FLASH_QUARANTINE_DELETED,
	FLASH_QUARANTINE_RELEASED,	/* with the ticket's number */
	FLASH_WS_DELETED,
	FLASH_SIGNED_OUT,
	FLASH_PREFS_SAVED,
};

/* Sets the cookie for the page the redirect leads to; num <= 0: none. */
void	flash(struct req *, enum flash, long long num);
/* On a GET, clears the cookie and, when show, puts the message it names
 * into the page's context as "flash" (nothing for an unknown code). An
 * error page clears it without showing it. */
void	flash_take(struct req *, struct json_object *ctx, int show);

#endif
