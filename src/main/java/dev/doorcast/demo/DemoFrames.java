package dev.doorcast.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalTime;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws the simulated doorbell's picture: a porch-coloured scene with a ball that bounces, a clock whose
 * hands show the server's time, and a bar that counts frames, so a viewer sees at once that it moves.
 * No text, so it renders on machines without fonts.
 */
public final class DemoFrames {

    private final int width;
    private final int height;
    private final float quality;

    public DemoFrames(int width, int height, float quality) {
        this.width = width;
        this.height = height;
        this.quality = quality;
    }

    /** The picture for frame number {@code n} at time {@code time}, as JPEG bytes. */
    public byte[] render(long n, LocalTime time) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(40, 60, 90), 0, height, new Color(150, 120, 90)));
            g.fillRect(0, 0, width, height);
            drawBall(g, n);
            drawClock(g, time);
            g.setColor(new Color(255, 210, 60));
            g.fillRect(0, height - 8, (int) (n % 50 * width / 49), 8);
        } finally {
            g.dispose();
        }
        return encode(image);
    }

    private void drawBall(Graphics2D g, long n) {
        int size = height / 6;
        int span = width - size;
        long step = n * 7 % (2L * span);
        int x = (int) (step < span ? step : 2L * span - step);
        double phase = n * 0.35;
        int y = (int) (height * 0.55 + Math.sin(phase) * height * 0.2);
        g.setColor(new Color(230, 80, 60));
        g.fillOval(x, y - size / 2, size, size);
    }

    private void drawClock(Graphics2D g, LocalTime time) {
        int r = height / 5;
        int cx = width - r - 12;
        int cy = r + 12;
        g.setColor(new Color(245, 245, 240));
        g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
        g.setColor(new Color(30, 30, 30));
        g.setStroke(new BasicStroke(3f));
        hand(g, cx, cy, r * 0.5, (time.getHour() % 12 + time.getMinute() / 60.0) / 12);
        hand(g, cx, cy, r * 0.75, time.getMinute() / 60.0);
        g.setColor(new Color(200, 30, 30));
        g.setStroke(new BasicStroke(1.5f));
        hand(g, cx, cy, r * 0.9, (time.getSecond() + time.getNano() / 1e9) / 60.0);
    }

    private static void hand(Graphics2D g, int cx, int cy, double length, double turns) {
        double angle = turns * 2 * Math.PI;
        g.drawLine(cx, cy, cx + (int) (Math.sin(angle) * length), cy - (int) (Math.cos(angle) * length));
    }

    private byte[] encode(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
