-- Recency in the search index (issue 14; docs/decisions.md "Search index",
-- "Recency by the week"). Each entry carries the week of its ticket's last
-- update, bucket = TO_DAYS(tickets.updated_at) DIV 7, in the word key, so
-- that an agent's search reads a word's entries newest week first and
-- stops near the page instead of walking the queue or sorting every match.
-- Written as tickets.updated_at: by the INSERT of a document's words (from
-- the ticket's row) and, when an update moves a ticket into a new week, by
-- rewriting that ticket's entries (lib/domain/searchidx.c,
-- searchidx_touch): a reply in the same week rewrites nothing.
--
-- The table is made again rather than altered: every entry needs its
-- ticket's week, which only a rebuild of the index gives in bulk. An
-- installation that has tickets marks the index incomplete: search uses
-- FULLTEXT until helpdesk-search-reindex has rebuilt it (INSTALL,
-- "Search index"), as after 025.
DROP TABLE search_words;

CREATE TABLE search_words (
	ticket_id	BIGINT UNSIGNED NOT NULL,
	word		VARCHAR(84) NOT NULL,
	doc_id		BIGINT UNSIGNED NOT NULL,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	-- 1: the document is an internal note (agents and admins only).
	internal	TINYINT(1) NOT NULL,
	-- TO_DAYS(updated_at) DIV 7 of the ticket: never older than that
	-- (a ticket moved back in time by hand leaves it newer, which a
	-- search reads correctly, only slower).
	bucket		MEDIUMINT UNSIGNED NOT NULL,
	PRIMARY KEY (ticket_id, word, doc_id),
	KEY search_words_word (workspace_id, word, bucket, ticket_id),
	CONSTRAINT search_words_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  PAGE_COMPRESSED=1;

UPDATE search_state SET complete = NOT EXISTS (SELECT 1 FROM tickets)
WHERE id = 1;
