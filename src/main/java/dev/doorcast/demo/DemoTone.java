package dev.doorcast.demo;

/**
 * The simulated doorbell's sound, as 16 kHz, 16-bit little-endian mono PCM: a two-note chime ("ding",
 * then "dong") every few seconds over a faint hum, so there is always something to hear.
 */
public final class DemoTone {

    public static final int SAMPLE_RATE = 16_000;

    private static final double DING_HZ = 659.25;
    private static final double DONG_HZ = 523.25;
    private static final double HUM_HZ = 220;
    private static final long PERIOD_SAMPLES = 3L * SAMPLE_RATE;

    private long sample;

    /** The next {@code bytes} bytes of the sound (an even number), continuing where the last call ended. */
    public byte[] next(int bytes) {
        byte[] pcm = new byte[bytes];
        for (int i = 0; i + 1 < bytes; i += 2) {
            short value = (short) Math.round(amplitude(sample++) * Short.MAX_VALUE);
            pcm[i] = (byte) value;
            pcm[i + 1] = (byte) (value >> 8);
        }
        return pcm;
    }

    private static double amplitude(long n) {
        double t = (double) n / SAMPLE_RATE;
        double inPeriod = (double) (n % PERIOD_SAMPLES) / SAMPLE_RATE;
        double hum = 0.04 * Math.sin(2 * Math.PI * HUM_HZ * t);
        double ding = inPeriod < 1.2 ? 0.45 * Math.exp(-3 * inPeriod) * Math.sin(2 * Math.PI * DING_HZ * t) : 0;
        double dongAt = inPeriod - 0.6;
        double dong = dongAt >= 0 && dongAt < 1.8
                ? 0.45 * Math.exp(-2.5 * dongAt) * Math.sin(2 * Math.PI * DONG_HZ * t) : 0;
        return Math.max(-1, Math.min(1, hum + ding + dong));
    }
}
