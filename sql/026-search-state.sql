-- Whether the search index (025) holds every document, so that search
-- may read it (issue 14; lib/domain/searchidx.h, searchidx_ready). An
-- installation that already has tickets when 025 arrives (an upgrade)
-- has an empty index: search keeps using FULLTEXT until
-- tools/search-reindex has rebuilt it and set complete = 1. A fresh
-- installation (no ticket yet) writes every document's words as it is
-- written, so it is complete from the start.
CREATE TABLE search_state (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	complete	TINYINT(1) NOT NULL
) ENGINE=InnoDB;

INSERT INTO search_state (id, complete)
SELECT 1, NOT EXISTS (SELECT 1 FROM tickets);
