package dev.doorcast.history;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.doorcast.buffer.Frame;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rings' tables (db/migration), in plain SQL that H2 and PostgreSQL both run. A stored frame comes back
 * as a {@link Frame} of sequence 0 with the time it arrived and its bytes as they were stored.
 */
final class RingStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    RingStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** What is written of a ring: its row, and its clip once it is final (null before). */
    record Written(String device, long id, long time, @Nullable Long deviceTimestamp, @Nullable Frame snapshot,
            @Nullable List<Frame> clip) {

        long bytes() {
            long bytes = snapshot == null ? 0 : snapshot.size();
            for (Frame frame : clip == null ? List.<Frame>of() : clip) {
                bytes += frame.size();
            }
            return bytes;
        }
    }

    /**
     * Writes a ring: its row when it is new, else its picture if the row has none yet; and with its clip,
     * the clip's frames in place of any stored before.
     */
    void write(Written ring) {
        transactions.executeWithoutResult(status -> {
            Frame snapshot = ring.snapshot();
            int updated = jdbc.sql("""
                            UPDATE ring SET snapshot = COALESCE(snapshot, :snapshot),
                                snapshot_at = COALESCE(snapshot_at, :snapshotAt)
                            WHERE device = :device AND id = :id""")
                    .param("snapshot", bytes(snapshot))
                    .param("snapshotAt", time(snapshot))
                    .param("device", ring.device()).param("id", ring.id())
                    .update();
            if (updated == 0) {
                jdbc.sql("""
                                INSERT INTO ring (device, id, rang_at, device_timestamp, snapshot, snapshot_at, bytes)
                                VALUES (:device, :id, :time, :deviceTimestamp, :snapshot, :snapshotAt, :bytes)""")
                        .param("device", ring.device()).param("id", ring.id()).param("time", ring.time())
                        .param("deviceTimestamp", new SqlParameterValue(Types.BIGINT, ring.deviceTimestamp()))
                        .param("snapshot", bytes(snapshot))
                        .param("snapshotAt", time(snapshot))
                        .param("bytes", snapshot == null ? 0 : snapshot.size())
                        .update();
            }
            List<Frame> clip = ring.clip();
            if (clip != null) {
                jdbc.sql("DELETE FROM ring_frame WHERE device = :device AND ring_id = :id")
                        .param("device", ring.device()).param("id", ring.id()).update();
                for (int i = 0; i < clip.size(); i++) {
                    jdbc.sql("""
                                    INSERT INTO ring_frame (device, ring_id, position, received_at, jpeg)
                                    VALUES (:device, :id, :position, :receivedAt, :jpeg)""")
                            .param("device", ring.device()).param("id", ring.id()).param("position", i)
                            .param("receivedAt", clip.get(i).receivedAt()).param("jpeg", clip.get(i).jpeg())
                            .update();
                }
                // The picture is stored apart from the clip even when it is one of its frames: it is served
                // alone, and counted once more.
                jdbc.sql("""
                                UPDATE ring SET clip_frames = :frames,
                                    bytes = COALESCE(OCTET_LENGTH(snapshot), 0) + :clipBytes
                                WHERE device = :device AND id = :id""")
                        .param("frames", clip.size())
                        .param("clipBytes", clip.stream().mapToLong(Frame::size).sum())
                        .param("device", ring.device()).param("id", ring.id())
                        .update();
            }
        });
    }

    // Typed, so that PostgreSQL knows a null's type as H2 does.
    private static SqlParameterValue bytes(@Nullable Frame frame) {
        return new SqlParameterValue(Types.BINARY, frame == null ? null : frame.jpeg());
    }

    private static SqlParameterValue time(@Nullable Frame frame) {
        return new SqlParameterValue(Types.BIGINT, frame == null ? null : frame.receivedAt());
    }

    /** The device's newest {@code limit} rings, newest first. */
    List<StoredRing> list(String device, int limit) {
        return jdbc.sql("""
                        SELECT id, rang_at, snapshot_at, clip_frames FROM ring WHERE device = :device
                        ORDER BY rang_at DESC, id DESC LIMIT :limit""")
                .param("device", device).param("limit", limit)
                .query((row, n) -> new StoredRing(row.getLong("id"), row.getLong("rang_at"),
                        row.getObject("snapshot_at") != null || row.getInt("clip_frames") > 0))
                .list();
    }

    /** The picture of who rang, or null when the ring or its picture is not stored. */
    @Nullable Frame snapshot(String device, long id) {
        return jdbc.sql("SELECT snapshot, snapshot_at FROM ring WHERE device = :device AND id = :id")
                .param("device", device).param("id", id)
                .query((row, n) -> {
                    byte[] jpeg = row.getBytes("snapshot");
                    return jpeg == null ? null : new Frame(0, row.getLong("snapshot_at"), null, null, null, jpeg);
                })
                .optional().orElse(null);
    }

    /** The number of frames of the ring's stored clip, or null when the ring is not stored. */
    @Nullable Integer clipFrames(String device, long id) {
        return jdbc.sql("SELECT clip_frames FROM ring WHERE device = :device AND id = :id")
                .param("device", device).param("id", id).query(Integer.class).optional().orElse(null);
    }

    /** The clip's frames, oldest first; empty when the ring or its clip is not stored. */
    List<Frame> clip(String device, long id) {
        return jdbc.sql("""
                        SELECT received_at, jpeg FROM ring_frame WHERE device = :device AND ring_id = :id
                        ORDER BY position""")
                .param("device", device).param("id", id)
                .query((row, n) -> new Frame(0, row.getLong("received_at"), null, null, null, row.getBytes("jpeg")))
                .list();
    }

    /** Deletes a ring, its picture and clip; false when it was not stored. */
    boolean delete(String device, long id) {
        return jdbc.sql("DELETE FROM ring WHERE device = :device AND id = :id")
                .param("device", device).param("id", id).update() > 0;
    }

    /**
     * Deletes the rings that arrived before {@code time}, then, oldest first, as many more as it takes for
     * the rest to fit in {@code maxBytes}.
     *
     * @return the rings deleted
     */
    List<RingKey> sweep(long time, long maxBytes) {
        return Objects.requireNonNull(transactions.execute(status -> {
            List<RingKey> gone = new ArrayList<>(jdbc.sql("SELECT device, id FROM ring WHERE rang_at < :time")
                    .param("time", time)
                    .query((row, n) -> new RingKey(row.getString("device"), row.getLong("id"))).list());
            jdbc.sql("DELETE FROM ring WHERE rang_at < :time").param("time", time).update();
            long total = jdbc.sql("SELECT COALESCE(SUM(bytes), 0) FROM ring").query(Long.class).single();
            if (total > maxBytes) {
                // Only the rows' sizes, newest first: what fits is kept, the rest goes.
                record Sized(RingKey key, long bytes) {
                }
                List<Sized> sizes = jdbc.sql("SELECT device, id, bytes FROM ring ORDER BY rang_at DESC, id DESC")
                        .query((row, n) -> new Sized(new RingKey(row.getString("device"), row.getLong("id")),
                                row.getLong("bytes")))
                        .list();
                long kept = 0;
                for (Sized ring : sizes) {
                    kept += ring.bytes();
                    if (kept > maxBytes) {
                        delete(ring.key().device(), ring.key().id());
                        gone.add(ring.key());
                    }
                }
            }
            return gone;
        }));
    }

    /** A cheap round trip: whether the store answers. */
    void check() {
        jdbc.sql("SELECT 1").query(Integer.class).single();
    }
}
