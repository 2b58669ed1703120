/*
 * outbox_add: adds messages to the outbox of the stack named by
 * HELPDESK_CONFIG through the real outbox_add (and so the real MIME
 * composition), for tests/mail/. Prints "id ID" per message.
 *
 *   outbox_add [--count N] [--rollback] KIND WS TICKET ADDR NAME SUBJECT
 *              TEXT HTML
 *
 * --count N adds N messages, the subject of each followed by " #i";
 * --rollback adds them in a transaction that is rolled back. Exits 0,
 * 3 when the message was refused (with the reason), 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "outbox.h"
#include "util.h"

static void
usage(void)
{
	fprintf(stderr, "usage: outbox_add [--count N] [--rollback] KIND WS "
	    "TICKET ADDR NAME SUBJECT TEXT HTML\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct mail m;
	long long count = 1, i, id;
	int rollback = 0, rc = 0;
	const char *why;
	char subject[1024];

	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--count") == 0 && argc > 2) {
			if (parse_int(argv[2], 1, 10000, &count) == -1)
				usage();
			argv += 2;
			argc -= 2;
		} else if (strcmp(argv[1], "--rollback") == 0) {
			rollback = 1;
			argv++;
			argc--;
		} else
			usage();
	}
	if (argc != 9)
		usage();
	memset(&m, 0, sizeof(m));
	if (parse_int(argv[2], 0, 1LL << 53, &m.ws) == -1 ||
	    parse_int(argv[3], 0, 1LL << 53, &m.ticket) == -1)
		usage();
	m.to_addr = argv[4];
	m.to_name = argv[5];
	m.text = argv[7];
	m.html = argv[8];
	if (config_load() == -1 || db_connect() == -1)
		return 1;
	if (db_begin() == -1)
		return 1;
	for (i = 1; i <= count; i++) {
		if (count == 1)
			snprintf(subject, sizeof(subject), "%s", argv[6]);
		else
			snprintf(subject, sizeof(subject), "%s #%lld", argv[6], i);
		m.subject = subject;
		switch (outbox_add(argv[1], &m, &id, &why)) {
		case OK:
			printf("id %lld\n", id);
			continue;
		case E_INVALID:
			printf("refused: %s\n", why);
			rc = 3;
			break;
		default:
			fprintf(stderr, "outbox_add: database error %u\n",
			    db_errno());
			rc = 1;
			break;
		}
		break;
	}
	if (rollback || rc != 0)
		db_rollback();
	else if (db_commit() == -1)
		rc = 1;
	db_close();
	return rc;
}
