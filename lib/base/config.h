/*
 * config: one file of "key = value" lines (# starts a comment), found at
 * $HELPDESK_CONFIG or /etc/helpdesk/helpdesk.conf. Every key may be
 * overridden by the environment as HELPDESK_<KEY> (upper case). Keys and
 * defaults are the table in config.c and INSTALL; an unknown key in the
 * file is an error, so a typo never silently falls back to a default.
 */
#ifndef HD_CONFIG_H
#define HD_CONFIG_H

struct config {
	const char	*db_socket;
	const char	*db_name;
	const char	*db_user;
	const char	*db_password;
	const char	*templates;	/* directory of *.html */
	const char	*sql_dir;	/* migrations, for the migrate tool */
	const char	*secret;	/* 64 hex digits: keys CSRF tokens */
	long long	 max_form;	/* bytes of a urlencoded body */
	long long	 max_request;	/* bytes of any body (uploads) */
	long long	 max_file;	/* bytes of one uploaded file */
	long long	 max_files;	/* files in one request */
	long long	 argon2_t;
	long long	 argon2_m_kib;
	long long	 argon2_p;
	long long	 session_idle;	/* seconds without a request */
	long long	 session_max;	/* seconds from sign-in */
	long long	 throttle_window;	/* seconds */
	long long	 throttle_account;	/* per account and address, or
						   per known browser */
	long long	 throttle_ip;		/* failures per address */
	long long	 throttle_account_all;	/* per account, from browsers
						   that never signed in to it */
	const char	*cookie_secure;	/* auto, always or never */
	const char	*sandbox;	/* on or off: sandbox.h */
	long long	 listen_backlog;	/* connections waiting for a
					   worker (capped by somaxconn) */
};

extern struct config cfg;

/* Loads defaults, the file and the environment. Returns 0, or -1 with
 * the reason on stderr. */
int	config_load(void);

#endif
