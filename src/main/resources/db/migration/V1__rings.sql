-- Doorbell rings that outlive a restart: one row per ring, the picture of who rang in it, and the frames
-- of its clip in ring_frame. Plain types that H2 and PostgreSQL both take: times are epoch milliseconds
-- (BIGINT) as the API gives them, JPEG bytes are BYTEA (H2's BINARY VARYING).
CREATE TABLE ring (
    device           VARCHAR(100) NOT NULL,
    id               BIGINT      NOT NULL,
    rang_at          BIGINT      NOT NULL,
    device_timestamp BIGINT,
    -- The picture of who rang, byte for byte the frame; null until there is one.
    snapshot         BYTEA,
    snapshot_at      BIGINT,
    clip_frames      INTEGER     NOT NULL DEFAULT 0,
    -- The picture's and the clip's bytes: what retention by size counts.
    bytes            BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (device, id)
);

-- Listing (newest first) and retention (oldest first) both walk the rings by time.
CREATE INDEX ring_by_time ON ring (rang_at);

CREATE TABLE ring_frame (
    device      VARCHAR(100) NOT NULL,
    ring_id     BIGINT      NOT NULL,
    position    INTEGER     NOT NULL,
    received_at BIGINT      NOT NULL,
    jpeg        BYTEA       NOT NULL,
    PRIMARY KEY (device, ring_id, position),
    FOREIGN KEY (device, ring_id) REFERENCES ring (device, id) ON DELETE CASCADE
);
