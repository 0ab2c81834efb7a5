package dev.doorcast.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Real JPEG and PCM bytes for tests, each call's different from the last so that mix-ups show. */
public final class TestMedia {

    private TestMedia() {
    }

    /** A small real JPEG whose colour and square position depend on {@code n}. */
    public static byte[] jpeg(int n) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(n * 37 % 256, n * 91 % 256, n * 53 % 256));
        g.fillRect(0, 0, 64, 48);
        g.setColor(Color.WHITE);
        g.fillRect(n % 56, n * 3 % 40, 8, 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A real JPEG padded with comment (COM) segments to at least {@code size} bytes, for size limits. */
    public static byte[] jpegOfSize(int size) {
        byte[] small = jpeg(size);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 70_000);
        out.write(small, 0, 2);
        int remaining = size - small.length;
        while (remaining > 0) {
            int payload = Math.min(remaining, 65_533);
            out.write(0xFF);
            out.write(0xFE);
            out.write((payload + 2) >> 8);
            out.write((payload + 2) & 0xFF);
            out.writeBytes(new byte[payload]);
            remaining -= payload + 4;
        }
        out.write(small, 2, small.length - 2);
        return out.toByteArray();
    }

    /**
     * {@code bytes} bytes of 16-bit little-endian mono PCM: a 440 Hz tone whose phase starts at {@code n},
     * so consecutive chunks differ.
     */
    public static byte[] pcm(int n, int bytes) {
        byte[] pcm = new byte[bytes];
        for (int i = 0; i + 1 < bytes; i += 2) {
            long sample = (long) n * bytes / 2 + i / 2;
            short value = (short) (Math.sin(2 * Math.PI * 440 * sample / 16_000.0) * 12_000);
            pcm[i] = (byte) value;
            pcm[i + 1] = (byte) (value >> 8);
        }
        return pcm;
    }

    /** Where {@code needle} first stands in {@code haystack} (a frame in a stream's bytes), or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
