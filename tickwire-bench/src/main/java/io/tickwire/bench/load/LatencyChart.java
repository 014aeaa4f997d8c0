package io.tickwire.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws latency percentile curves of several runs into a PNG: x is the percentile on the usual
 * "number of nines" scale (50, 90, 99, 99.9, 99.99), y the latency in µs on a log scale. Pure
 * java.awt in headless mode. Stateless.
 */
public final class LatencyChart {

    private static final int W = 800;
    private static final int H = 450;
    private static final int LEFT = 70;
    private static final int RIGHT = 40;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final double MAX_NINES = 4; // 99.99 %
    private static final double MIN_NINES = Math.log10(2); // 50 %
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    private LatencyChart() {
    }

    public static void write(List<RunResult> runs, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double maxMicros = 10;
        for (RunResult r : runs) {
            for (double[] p : r.percentiles()) {
                if (p[0] <= 99.99) {
                    maxMicros = Math.max(maxMicros, p[1]);
                }
            }
        }
        double logMax = Math.ceil(Math.log10(maxMicros));
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 20);
        g.setColor(new Color(0xdddddd));
        for (int d = 0; d <= logMax; d++) {
            int y = y(Math.pow(10, d), logMax);
            g.drawLine(LEFT, y, W - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(Math.pow(10, d)), 5, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        String[] pctLabels = {"50%", "90%", "99%", "99.9%", "99.99%"};
        double[] pctNines = {MIN_NINES, 1, 2, 3, 4};
        for (int n = 0; n < pctLabels.length; n++) {
            int x = x(pctNines[n]);
            g.drawLine(x, TOP, x, H - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            g.drawString(pctLabels[n], x - 12, H - BOTTOM + 18);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("percentile", W / 2 - 30, H - 10);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            g.setColor(COLORS[i % COLORS.length]);
            int px = -1;
            int py = -1;
            for (double[] p : r.percentiles()) {
                if (p[0] < 50 || p[0] > 99.99) {
                    continue;
                }
                int x = x(Math.log10(100 / (100 - Math.min(p[0], 99.9999))));
                int y = y(Math.max(1, p[1]), logMax);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            String legend = r.target() + " " + r.label()
                    + String.format(Locale.ROOT, ": p50 %s, p99 %s", label(r.p50()), label(r.p99()));
            int ly = H - BOTTOM - 12 - 16 * (runs.size() - 1 - i);
            g.setColor(Color.WHITE);
            g.fillRect(W - RIGHT - 330, ly - 12, 330, 16);
            g.setColor(COLORS[i % COLORS.length]);
            g.drawString(legend, W - RIGHT - 325, ly);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    /** x of a number of nines (log10(100 / (100 - percentile))), from 50 % to 99.99 %. */
    private static int x(double nines) {
        return LEFT + (int) ((W - LEFT - RIGHT) * (Math.max(MIN_NINES, nines) - MIN_NINES) / (MAX_NINES - MIN_NINES));
    }

    private static int y(double micros, double logMax) {
        return H - BOTTOM - (int) ((H - TOP - BOTTOM) * Math.log10(micros) / logMax);
    }

    private static String label(double micros) {
        return micros >= 1_000_000 ? String.format(Locale.ROOT, "%.3g s", micros / 1e6)
                : micros >= 1_000 ? String.format(Locale.ROOT, "%.3g ms", micros / 1e3) : (long) micros + " µs";
    }
}
