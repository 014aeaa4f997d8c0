package io.tickwire.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs committed Node.js client scripts in tests: copies a script directory (package.json,
 * package-lock.json, scripts) under target/, installs its dependencies with {@code npm ci}
 * (exactly the locked versions), and runs a script with a time bound.
 */
final class NodeScripts {

    record Result(int exitCode, String output) {
    }

    private NodeScripts() {
    }

    /** Whether {@code node} and {@code npm} can be run here. */
    static boolean available() {
        return runs("node", "--version") && runs("npm", "--version");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Copies {@code source} to {@code target} and runs {@code npm ci} there; returns {@code target}. */
    static Path install(Path source, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Result install = runIn(target, Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        if (install.exitCode() != 0) {
            throw new IllegalStateException("npm ci failed in " + target + ":\n" + install.output());
        }
        return target;
    }

    /** Runs a script with arguments; stdout and stderr together. */
    static Result run(Path script, Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.getFileName().toString()));
        command.addAll(List.of(args));
        return runIn(script.getParent(), limit, command.toArray(String[]::new));
    }

    private static Result runIn(Path dir, Duration limit, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        Path log = Files.createTempFile("node", ".log");
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                Files.write(log, p.getInputStream().readAllBytes());
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            reader.join(5_000);
            return new Result(-1, "timed out after " + limit + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), output);
    }
}
