package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built distribution ({@code tickwire-cli/target/tickwire.jar} and its {@code lib/}) run as a
 * real process, as the launcher runs it. Captures every output line; {@link #close()} stops the
 * process (SIGTERM, then SIGKILL after a bound).
 */
final class Distribution implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path JAR = ROOT.resolve("tickwire-cli/target/tickwire.jar");

    private final Process process;
    private final Thread reader;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private static final String END = "\u0000end-of-output";

    private Distribution(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    unread.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
            unread.add(END);
        }, "distribution-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs {@code tickwire ARGS…} with the test JVM's java; stdout and stderr merged. */
    static Distribution start(String... args) throws IOException {
        return run(javaCommand(args));
    }

    /** The command line that runs {@code tickwire ARGS…}, for wrapping in another command (a namespace, a shell). */
    static List<String> javaCommand(String... args) {
        assertThat(JAR).as("the distribution is built by the package phase before these tests").exists();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx512m", "-Dtickwire.home=" + ROOT, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs any command from the project's root; stdout and stderr merged, no {@code TICKWIRE_} variables. */
    static Distribution run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TICKWIRE_"));
        return new Distribution(pb.start());
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes {@code text} to the process's standard input, at once. */
    void write(String text) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Closes the process's standard input: the end of what it reads there. */
    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits for an output line matching the predicate and returns it; lines before it are consumed. */
    String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : unread.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no matching line within " + timeout + "; output:\n" + String.join("\n", tail()));
            }
            if (line == END) {
                unread.add(END);
                throw new AssertionError("process ended; output:\n" + String.join("\n", tail()));
            }
            if (matching.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the process to exit and for all its output to be read; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + timeout + "; output:\n" + String.join("\n", tail()));
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    private List<String> tail() {
        List<String> all = lines();
        return all.subList(Math.max(0, all.size() - 40), all.size());
    }

    /**
     * Sends SIGTERM, as a service manager would. Through the process handle: {@code Process.destroy()}
     * would also close the pipes and lose what the process prints while it shuts down.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    long pid() {
        return process.pid();
    }

    /** Kills the process with SIGKILL, as {@code kill -9} does: no shutdown hook runs. */
    void kill9() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + process.pid() + " survived SIGKILL");
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    @Override
    public void close() {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
