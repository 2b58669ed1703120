-- Stored files belong to one workspace: the content address of a blob
-- becomes (workspace_id, sha256). Before, a file was stored once for the
-- whole install, so uploading bytes that another workspace already held
-- skipped the chunk writes and answered measurably faster: an oracle for
-- "someone here has this file" (issue 7). Now an upload reads and writes
-- only its own workspace's rows; the same bytes sent twice in one
-- workspace are still stored once.
--
-- Existing data: each blob gets one copy, chunks and all, per workspace
-- whose attachments point at it; a blob no attachment points at (its
-- ticket was deleted) is not carried over, since nothing could read it.
-- The new tables are filled first and swapped in with one atomic RENAME,
-- so a failure before the swap leaves the old tables as they were and
-- the migration can simply run again.

-- Attachments find their blob within their own workspace.
ALTER TABLE attachments DROP KEY IF EXISTS attachments_blob,
    ADD KEY attachments_blob (workspace_id, sha256);

DROP TABLE IF EXISTS blobs_ws, blob_chunks_ws;

CREATE TABLE blobs_ws (
	workspace_id	BIGINT UNSIGNED NOT NULL,
	sha256		BINARY(32) NOT NULL,
	size		BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME NOT NULL,
	PRIMARY KEY (workspace_id, sha256)
) ENGINE=InnoDB;

-- 512 KiB a row, as in 004-blob-chunks.sql.
CREATE TABLE blob_chunks_ws (
	workspace_id	BIGINT UNSIGNED NOT NULL,
	sha256		BINARY(32) NOT NULL,
	seq		INT UNSIGNED NOT NULL,
	data		MEDIUMBLOB NOT NULL,
	PRIMARY KEY (workspace_id, sha256, seq)
) ENGINE=InnoDB;

INSERT INTO blobs_ws (workspace_id, sha256, size, created_at)
SELECT DISTINCT a.workspace_id, b.sha256, b.size, b.created_at
FROM attachments a JOIN blobs b ON b.sha256 = a.sha256;

INSERT INTO blob_chunks_ws (workspace_id, sha256, seq, data)
SELECT w.workspace_id, c.sha256, c.seq, c.data
FROM blobs_ws w JOIN blob_chunks c ON c.sha256 = w.sha256;

RENAME TABLE blobs TO blobs_shared, blobs_ws TO blobs,
    blob_chunks TO blob_chunks_shared, blob_chunks_ws TO blob_chunks;

DROP TABLE blobs_shared, blob_chunks_shared;
