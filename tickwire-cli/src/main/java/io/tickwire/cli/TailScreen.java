package io.tickwire.cli;

import io.tickwire.client.BookView;
import io.tickwire.client.TickwireClient;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code tickwire tail} on a terminal with books: a screen redrawn in place (ANSI cursor control,
 * the terminal's alternate screen) with a live ladder per book, the latest other messages below,
 * and the latest status line. It reads the books from the client ({@link TickwireClient#book}),
 * on its own thread, at most {@link #FRAMES_PER_SECOND} times a second and only after a change;
 * {@link #close()} restores the terminal.
 *
 * <p>Thread-safe: listeners on the client's thread call {@link #changed()}, {@link #line} and
 * {@link #status}; drawing and closing hold the screen's lock.
 */
final class TailScreen implements AutoCloseable {

    static final int FRAMES_PER_SECOND = 10;
    private static final int RECENT_LINES = 10;
    private static final String ENTER = "\u001b[?1049h\u001b[?25l"; // alternate screen, hide the cursor
    private static final String LEAVE = "\u001b[?25h\u001b[?1049l";
    private static final String HOME = "\u001b[H";
    private static final String CLEAR_LINE = "\u001b[K";
    private static final String CLEAR_BELOW = "\u001b[J";

    private final PrintWriter out;
    private final TickwireClient client;
    private final List<String> symbols;
    private final TailCommand.Style style;
    private final String title;
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final Deque<String> recent = new ArrayDeque<>();
    private final ScheduledExecutorService painter;
    private String status = "";
    private boolean closed;

    TailScreen(PrintWriter out, TickwireClient client, List<String> symbols, TailCommand.Style style, String title) {
        this.out = out;
        this.client = client;
        this.symbols = List.copyOf(symbols);
        this.style = style;
        this.title = title;
        this.painter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tail-screen");
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            out.print(ENTER);
            out.flush();
        }
        painter.scheduleWithFixedDelay(this::paintIfChanged, 0, 1000 / FRAMES_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    /** A book changed: redraw soon. */
    void changed() {
        dirty.set(true);
    }

    /** A message that is not a book, shown among the latest below the ladders. */
    synchronized void line(String text) {
        recent.addLast(text);
        while (recent.size() > RECENT_LINES) {
            recent.removeFirst();
        }
        dirty.set(true);
    }

    /** The latest connection event, gap or resync, shown at the bottom. */
    synchronized void status(String text) {
        status = text;
        dirty.set(true);
    }

    private void paintIfChanged() {
        if (dirty.getAndSet(false)) {
            paint();
        }
    }

    private synchronized void paint() {
        if (closed) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(style.dim + title + style.reset);
        for (String symbol : symbols) {
            lines.add("");
            BookView view = client.book(symbol);
            if (view == null) {
                lines.add(symbol + "  waiting for the book…");
            } else {
                lines.addAll(Ladder.lines(view, style));
            }
        }
        if (!recent.isEmpty()) {
            lines.add("");
            lines.addAll(recent);
        }
        lines.add("");
        lines.add(style.dim + status + style.reset);
        StringBuilder frame = new StringBuilder(HOME);
        for (String line : lines) {
            frame.append(line).append(CLEAR_LINE).append('\n');
        }
        frame.append(CLEAR_BELOW);
        out.print(frame);
        out.flush();
    }

    /** Stops drawing and gives the terminal back as it was. Idempotent; any thread. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Stops drawing and gives the terminal back; with {@code keepLadders}, then prints each book's
     * latest ladder on the normal screen, which stays readable after the program exits. Only the
     * first call has an effect; any thread.
     */
    void close(boolean keepLadders) {
        painter.shutdownNow();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            out.print(LEAVE);
            if (keepLadders) {
                for (String symbol : symbols) {
                    BookView view = client.book(symbol);
                    if (view != null) {
                        Ladder.lines(view, style).forEach(out::println);
                        out.println();
                    }
                }
            }
            out.flush();
        }
    }
}
