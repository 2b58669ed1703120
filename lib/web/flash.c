/*
 * flash: messages after actions (flash.h). The cookie's value is
 * "CODE" or "CODE.NUMBER"; anything else is ignored, so a forged cookie
 * can only pick one of these sentences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flash.h"
#include "util.h"

static const struct {
	const char	*code;
	const char	*text;
	const char	*after;	/* non-NULL: the number, then this */
} messages[] = {
	[FLASH_TICKET_OPENED] = { "opened", "Ticket #", " opened." },
	[FLASH_TRIAGE_SAVED] = { "triaged", "Triage saved." },
	[FLASH_REPLY_SENT] = { "replied", "Reply sent." },
	[FLASH_NOTE_ADDED] = { "noted", "Internal note added." },
	[FLASH_WS_CREATED] = { "created", "Workspace created." },
	[FLASH_WS_JOINED] = { "joined", "You joined the workspace." },
	[FLASH_INVITE_ACCEPTED] = { "accepted",
	    "Invitation accepted: welcome to the workspace." },
	[FLASH_WS_LEFT] = { "left", "You left the workspace." },
	[FLASH_MEMBER_REMOVED] = { "removed", "The member was removed." },
	[FLASH_INVITE_REVOKED] = { "revoked", "The invitation was revoked." },
	[FLASH_SESSION_ENDED] = { "ended", "That session was signed out." },
	[FLASH_SESSIONS_ENDED] = { "others",
	    "Every other session was signed out." },
	[FLASH_PASSWORD_CHANGED] = { "password", "Your password was changed. "
	    "Other sessions were signed out." },
	[FLASH_PASSWORD_RESET] = { "reset", "Your new password is set. Every "
	    "other session of the account was signed out." },
	[FLASH_EMAIL_CONFIRMED] = { "confirmed",
	    "Your email address is confirmed." },
	[FLASH_EMAIL_LINK_SENT] = { "email", "We sent a link to your new "
	    "address. Your address changes when you open it." },
	[FLASH_CONFIRM_RESENT] = { "resent",
	    "We sent a new confirmation link to your address." },
	[FLASH_NOTIFICATIONS_SAVED] = { "notifications",
	    "Your notification settings were saved." },
	[FLASH_NAME_CHANGED] = { "name", "Your name was changed." },
	[FLASH_CONSENT_GRANTED] = { "granted",
	    "Thank you: your choice is saved." },
	[FLASH_CONSENT_WITHDRAWN] = { "withdrawn",
	    "Withdrawn: we no longer do this." },
	[FLASH_2FA_REMOVED] = { "tfoff", "Two-factor sign-in is off. Your "
	    "password alone signs you in now." },
	[FLASH_2FA_RECOVERY_USED] = { "recovery", "You signed in with a "
	    "recovery code; it will not work again." },
	[FLASH_ROLE_CHANGED] = { "role", "The role was changed." },
	[FLASH_MEMBER_SUSPENDED] = { "suspended", "The member's access was "
	    "suspended. Nothing of theirs was deleted." },
	[FLASH_MEMBER_UNSUSPENDED] = { "unsuspended",
	    "The member's access was given back." },
	[FLASH_REQUESTER_ERASED] = { "erased", "The requester's data was "
	    "erased from this workspace." },
	[FLASH_SETTINGS_SAVED] = { "settings", "The settings were saved." },
	[FLASH_HOLD_PLACED] = { "held", "The hold is placed. Retention and "
	    "erasure keep what it covers until it is lifted." },
	[FLASH_HOLD_LIFTED] = { "lifted", "The hold is lifted." },
	[FLASH_QUARANTINE_DELETED] = { "deleted",
	    "The message was deleted." },
	[FLASH_QUARANTINE_RELEASED] = { "released", "The message was "
	    "released as ticket #", "." },
	[FLASH_WS_DELETED] = { "wsdeleted", "The workspace was deleted." },
	[FLASH_SIGNED_OUT] = { "signedout", "You are signed out." },
	[FLASH_PREFS_SAVED] = { "prefs", "Your preferences were saved." },
};

void
flash(struct req *r, enum flash f, long long num)
{
	char v[48];

	if ((size_t)f >= nitems(messages))
		return;
	if (num > 0)
		snprintf(v, sizeof(v), "%s.%lld", messages[f].code, num);
	else
		snprintf(v, sizeof(v), "%s", messages[f].code);
	resp_cookie(r, FLASH_COOKIE, v, FLASH_MAX_AGE);
}

/* The number after the dot: 1 to 15 digits, nothing else. */
static long long
flash_num(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 15 || s[n] != '\0')
		return -1;
	return strtoll(s, NULL, 10);
}

void
flash_take(struct req *r, struct json_object *ctx, int show)
{
	const char *v = kv_get(&r->cookies, FLASH_COOKIE);
	const char *dot;
	char text[160];
	long long num = 0;
	size_t i, len;

	if (v == NULL || r->method != M_GET)
		return;
	/* Read once: cleared whatever it held. */
	resp_cookie(r, FLASH_COOKIE, "", 0);
	if (!show || ctx == NULL)
		return;
	dot = strchr(v, '.');
	len = dot ? (size_t)(dot - v) : strlen(v);
	if (dot && (num = flash_num(dot + 1)) < 0)
		return;
	for (i = 0; i < nitems(messages); i++) {
		if (strlen(messages[i].code) != len ||
		    strncmp(messages[i].code, v, len) != 0)
			continue;
		/* A message with a number needs one; one without, none. */
		if ((messages[i].after != NULL) != (dot != NULL))
			return;
		if (dot)
			snprintf(text, sizeof(text), "%s%lld%s",
			    messages[i].text, num, messages[i].after);
		else
			snprintf(text, sizeof(text), "%s", messages[i].text);
		json_object_object_add(ctx, "flash",
		    json_object_new_string(text));
		return;
	}
}
