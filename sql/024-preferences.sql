-- A person's preferences (issue 13; the account page's Preferences):
-- the language pages and mail are shown in (a catalogue's code, "de";
-- NULL: from the browser's Accept-Language), the time zone times are
-- shown in (an IANA name, "Europe/Berlin"; NULL: UTC), and the queue
-- view an agent lands on (the queue's query string, "status=open&
-- assignee=me"; NULL: the queue's default). Personal data: exported,
-- cleared by erasure (docs/privacy.md).
ALTER TABLE users
	ADD COLUMN lang VARCHAR(16) NULL,
	ADD COLUMN time_zone VARCHAR(64) NULL,
	ADD COLUMN queue_view VARCHAR(255) NULL;
