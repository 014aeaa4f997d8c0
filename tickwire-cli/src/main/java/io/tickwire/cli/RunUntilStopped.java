package io.tickwire.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps the process alive until SIGTERM or Ctrl+C, then closes the app before the JVM exits.
 * {@link #watch} must run before anything tells the outside world the server is up, so that a
 * signal that follows at once still closes the app cleanly.
 */
final class RunUntilStopped {

    private final CountDownLatch stopped = new CountDownLatch(1);

    private RunUntilStopped() {
    }

    /** Registers the shutdown hook that closes {@code app}. */
    static RunUntilStopped watch(AutoCloseable app) {
        RunUntilStopped watcher = new RunUntilStopped();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
            watcher.stopped.countDown();
        }, "tickwire-shutdown"));
        return watcher;
    }

    /** Blocks until the shutdown hook has closed the app. */
    void await() throws InterruptedException {
        stopped.await();
    }
}
