package dev.doorcast.buffer;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What viewers say to whoever is at the door: the microphone's buffer run the other way, a circular buffer of recent
 * PCM chunks that the doorbell's speaker stream walks in order. One talker at a time: the line belongs to
 * one talk id (a viewer's press of "Talk") until {@link #LINE_HOLD} passes without a chunk from it, so two
 * voices never interleave in the speaker.
 */
public final class TalkBuffer implements AudioSource {

    /** How long the line stays with a talker after its last chunk. */
    public static final Duration LINE_HOLD = Duration.ofSeconds(1);

    /** Longest talk id: a UUID, with or without its dashes, fits with room to spare. */
    public static final int MAX_TALK_ID = 64;

    /** A talk id is the talker's own random name for one press of "Talk", such as a UUID. */
    private static final Pattern TALK_ID = Pattern.compile("[A-Za-z0-9_-]{8," + MAX_TALK_ID + "}");

    private final CircularBuffer<AudioChunk> chunks;
    private final InstantSource clock;
    private final List<TalkListener> listeners = new CopyOnWriteArrayList<>();
    private @Nullable String holder;
    private long heldUntil;

    public TalkBuffer(int capacity, InstantSource clock) {
        this.chunks = new CircularBuffer<>(capacity);
        this.clock = clock;
    }

    public void addListener(TalkListener listener) {
        listeners.add(listener);
    }

    /** Whether {@code talkId} has a talk id's form: 8 to 64 letters, digits, '-' or '_'. */
    public static boolean isTalkId(String talkId) {
        return TALK_ID.matcher(talkId).matches();
    }

    /** How long, in ms, until the line is free for {@code talkId}: 0 when it is free or already its own. */
    public synchronized long busyFor(String talkId) {
        long left = heldUntil - clock.millis();
        return holder == null || holder.equals(talkId) || left <= 0 ? 0 : left;
    }

    /**
     * Stores a chunk of {@code talkId}'s voice, taking or keeping the line for it, and tells the listeners;
     * the bytes are kept, not copied.
     *
     * @return the stored chunk, or null (nothing stored) while another talker holds the line
     */
    public @Nullable AudioChunk add(String talkId, byte[] pcm, @Nullable Long sequence) {
        AudioChunk chunk;
        synchronized (this) {
            long now = clock.millis();
            if (holder != null && !holder.equals(talkId) && now < heldUntil) {
                return null;
            }
            holder = talkId;
            heldUntil = now + LINE_HOLD.toMillis();
            chunk = chunks.append(seq -> new AudioChunk(seq, now, sequence, pcm));
        }
        for (TalkListener listener : listeners) {
            listener.onVoice(chunk, talkId);
        }
        return chunk;
    }

    /** The talk id that holds the line now, or null when it is free. */
    public synchronized @Nullable String holder() {
        return holder != null && clock.millis() < heldUntil ? holder : null;
    }

    @Override
    public @Nullable AudioChunk latestAudio() {
        return chunks.newest();
    }

    @Override
    public @Nullable AudioChunk audioAfter(long sequence) {
        return chunks.after(sequence);
    }

    /** Chunks stored since start. */
    public long chunksReceived() {
        return chunks.added();
    }
}
