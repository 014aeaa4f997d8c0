package io.tickwire.cli;

import io.tickwire.model.Clock;
import io.tickwire.store.imports.TradeCsvImport;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar of a long import, on standard error: nothing for the first second (short
 * imports stay quiet), then at most five updates a second. On a terminal one line redrawn in
 * place; otherwise a line at every tenth of the file. Used from the importing thread only.
 */
final class ImportProgress implements TradeCsvImport.Progress {

    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long EVERY_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final String name;
    private final PrintStream out;
    private final Clock clock;
    private final boolean terminal;
    private final long started;
    private long lastDrawn;
    private int lastTenth = -1;
    private boolean shown;
    private long rows;

    ImportProgress(String name, PrintStream out, Clock clock, boolean terminal) {
        this.name = name;
        this.out = out;
        this.clock = clock;
        this.terminal = terminal;
        this.started = clock.monotonicNanos();
    }

    @Override
    public void update(long bytesRead, long totalBytes, long rowsRead) {
        rows = rowsRead;
        long now = clock.monotonicNanos();
        if (now - started < QUIET_NANOS || now - lastDrawn < EVERY_NANOS) {
            return;
        }
        double done = totalBytes == 0 ? 1 : Math.min(1, (double) bytesRead / totalBytes);
        int tenth = (int) (done * 10);
        if (!terminal && tenth == lastTenth) {
            return;
        }
        lastDrawn = now;
        lastTenth = tenth;
        shown = true;
        out.print(line(done, rowsRead, now) + (terminal ? "\r" : "\n"));
        out.flush();
    }

    /** Ends the bar with a final line if one was shown. */
    void finish() {
        if (shown) {
            out.println(line(1, rows, clock.monotonicNanos()));
        }
    }

    String line(double done, long rowsRead, long now) {
        int filled = (int) Math.round(done * WIDTH);
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%%  %,d rows  %,.0f rows/s", name, "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.round(done * 100), rowsRead, rowsRead / seconds);
    }
}
