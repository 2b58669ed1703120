-- File contents in chunks of 512 KiB (CHUNK_SIZE in lib/attachments.c),
-- so no statement or packet carries a whole file: an upload is stored a
-- chunk at a time and a download streamed a chunk at a time, each well
-- under MariaDB's default max_allowed_packet (16M). Chunk seq holds the
-- bytes from seq * 512 KiB on; an empty file has no chunks. blobs keeps
-- one row per distinct content, with its size.

CREATE TABLE blob_chunks (
	sha256		BINARY(32) NOT NULL,
	seq		INT UNSIGNED NOT NULL,
	data		MEDIUMBLOB NOT NULL,
	PRIMARY KEY (sha256, seq)
) ENGINE=InnoDB;

-- Existing contents, cut the same way. Each blob is read once (blobs is
-- the outer table); 8192 chunks cover the largest LONGBLOB (4 GiB), so
-- the recursion never stops short.
SET STATEMENT max_recursive_iterations = 8192 FOR
INSERT INTO blob_chunks (sha256, seq, data)
WITH RECURSIVE n (i) AS (
	SELECT 0
	UNION ALL
	SELECT i + 1 FROM n
	WHERE (i + 1) * 524288 < (SELECT MAX(LENGTH(data)) FROM blobs)
)
SELECT b.sha256, n.i, SUBSTRING(b.data, n.i * 524288 + 1, 524288)
FROM blobs b STRAIGHT_JOIN n ON n.i * 524288 < LENGTH(b.data);

ALTER TABLE blobs DROP COLUMN data;
