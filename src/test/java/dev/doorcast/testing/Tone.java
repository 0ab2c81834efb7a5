package dev.doorcast.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** A pure tone as a WAV file, and the means to find which frequency is loudest in recorded PCM. */
public final class Tone {

    private Tone() {
    }

    /** {@code seconds} of a sine at {@code hz}, half of full scale, as a 16-bit mono WAV file at {@code rate}. */
    public static byte[] wav(double hz, int rate, double seconds) {
        int samples = (int) (rate * seconds);
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) Math.round(Math.sin(2 * Math.PI * hz * i / rate) * 16_000));
        }
        return wav.array();
    }

    /** 16-bit little-endian PCM bytes as samples. */
    public static short[] samples(byte[] pcm) {
        short[] samples = new short[pcm.length / 2];
        ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    /** The power at {@code hz} by the Goertzel algorithm: one bin of a DFT, without the rest. */
    public static double power(short[] samples, double hz, int rate) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / rate);
        double previous = 0;
        double beforePrevious = 0;
        for (short sample : samples) {
            double current = sample + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    }

    /** The loudest frequency between {@code from} and {@code to} Hz, in steps of {@code step}. */
    public static double loudest(short[] samples, int rate, double from, double to, double step) {
        double best = from;
        double bestPower = -1;
        for (double hz = from; hz <= to; hz += step) {
            double power = power(samples, hz, rate);
            if (power > bestPower) {
                best = hz;
                bestPower = power;
            }
        }
        return best;
    }
}
