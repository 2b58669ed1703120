-- Search index of our own (issue 14; docs/decisions.md "Search index").
-- One row per distinct word of one document: the ticket's subject and
-- description (doc_id 0) or one comment (doc_id = comments.id). Words are
-- cut by lib/domain search_doc_words exactly as InnoDB FULLTEXT cuts
-- them, 3..84 characters, stopwords left out; the collation folds case
-- and accents as FULLTEXT does, so a prefix is `word LIKE 'pri%'`.
-- No recency here: order comes from tickets_updated, so a reply or a
-- status change rewrites nothing in this table. Written in the same
-- transaction as the document; rebuilt from the tickets by
-- tools/search-reindex. PAGE_COMPRESSED: pages are compressed (zlib) when
-- written to disk, not in the buffer pool: loading 3M rows took 34 s and
-- 66 MB of disk, against 66 s and 135 MB with ROW_FORMAT=COMPRESSED and
-- 27 s and 274 MB uncompressed (bench/notes.md).
CREATE TABLE search_words (
	ticket_id	BIGINT UNSIGNED NOT NULL,
	word		VARCHAR(84) NOT NULL,
	doc_id		BIGINT UNSIGNED NOT NULL,
	workspace_id	BIGINT UNSIGNED NOT NULL,
	-- 1: the document is an internal note (agents and admins only).
	internal	TINYINT(1) NOT NULL,
	PRIMARY KEY (ticket_id, word, doc_id),
	KEY search_words_word (workspace_id, word, ticket_id),
	CONSTRAINT search_words_ticket_fk FOREIGN KEY (ticket_id)
	    REFERENCES tickets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  PAGE_COMPRESSED=1;
