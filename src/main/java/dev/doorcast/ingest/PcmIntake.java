package dev.doorcast.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;

import dev.doorcast.system.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * The rules every chunk of PCM posted over HTTP follows, the doorbell's microphone and a viewer's voice for
 * its speaker alike: 16 kHz, 16-bit mono, no larger than the limit (enforced while reading, so a body without
 * {@code Content-Length} cannot get past it), whole samples, at most four times real time per sender, and no
 * repeats or late arrivals by {@code X-Sequence} (see {@link SequenceGate}). A chunk that breaks one is
 * refused before anything is stored.
 */
public final class PcmIntake {

    /** Real-time PCM is 32,000 bytes a second; a sender may catch up at four times that. */
    private static final double BYTES_PER_SECOND = 4 * 32_000;

    private final int maxChunkSize;
    private final InstantSource clock;

    public PcmIntake(int maxChunkSize, InstantSource clock) {
        this.maxChunkSize = maxChunkSize;
        this.clock = clock;
    }

    /**
     * Reads and checks one chunk.
     *
     * @param body the request's body, read no further than one byte past the limit
     * @param declaredLength its {@code Content-Length}, -1 when it has none
     * @param sequence the request's {@code X-Sequence}
     * @throws ApiException 400 for a negative sequence or a body that is empty or not whole samples, 413 for
     *     one past the size limit
     */
    public byte[] read(InputStream body, long declaredLength, @Nullable Long sequence) throws IOException {
        requireSequence(sequence);
        byte[] pcm = BoundedBody.read(body, declaredLength, maxChunkSize, "The audio chunk");
        MediaCheck.requirePcm(pcm, maxChunkSize);
        return pcm;
    }

    /** @throws ApiException 400 for a negative {@code X-Sequence} (or a link message's negative id) */
    static void requireSequence(@Nullable Long sequence) {
        if (sequence != null && sequence < 0) {
            throw ApiException.badRequest("X-Sequence must not be negative, was " + sequence);
        }
    }

    /**
     * A new sender's rate and memory of its numbers.
     *
     * @param who the sender as the 429's detail names it, such as "The device"
     */
    public Sender sender(String who) {
        return new Sender(who, new RateLimit(BYTES_PER_SECOND, clock), new SequenceGate());
    }

    /** One sender of chunks: how fast it has sent, and the last number it sent. */
    public static final class Sender {

        private final String who;
        private final RateLimit rate;
        private final SequenceGate sequences;

        private Sender(String who, RateLimit rate, SequenceGate sequences) {
            this.who = who;
            this.rate = rate;
            this.sequences = sequences;
        }

        /** @throws ApiException 429 with Retry-After when this sender is past four times real time */
        public void throttle(int bytes) {
            long wait = rate.take(bytes);
            if (wait > 0) {
                throw ApiException.tooManyRequests(who + " sends audio faster than allowed (four times real time); "
                        + "try again in " + wait + " s", wait);
            }
        }

        /** Whether a chunk with this number should be stored: false for a repeat or a late arrival. */
        public boolean admit(@Nullable Long sequence) {
            return sequences.admit(sequence);
        }
    }
}
