package io.tickwire.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server process from the outside: CPU time and RSS from {@code /proc/PID} summed over the
 * process and its descendants (nginx's workers are children of its master), and the Java
 * heap in use after a full GC ({@code jcmd PID GC.run}, then {@code jstat -gc PID}) when the
 * server is a JVM. Without a pid (peers started elsewhere), every figure reads as -1. Stateless.
 */
final class ServerProbe {

    /** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) in {@code /proc/PID/stat}. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    ServerProbe(long pid) {
        this.pid = pid;
    }

    boolean present() {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid));
    }

    /** CPU seconds used so far (user + system), or -1. */
    double cpuSeconds() {
        if (!present()) {
            return -1;
        }
        double total = 0;
        for (long p : processes()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return total;
    }

    /** Resident set size in bytes, or -1. */
    long rssBytes() {
        if (!present()) {
            return -1;
        }
        long total = 0;
        for (long p : processes()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between listing and reading
            }
        }
        return total;
    }

    private List<Long> processes() {
        List<Long> all = new ArrayList<>();
        all.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> all.add(d.pid())));
        return all;
    }

    /** Heap bytes in use after a full GC, or -1 if the process is not a JVM the tools can reach. */
    long heapAfterGcBytes() {
        // jcmd attaches by sending SIGQUIT, which stops nginx (and would kill most non-JVM servers)
        if (!present() || !isJvm()) {
            return -1;
        }
        try {
            String jdk = System.getProperty("java.home");
            run(jdk + "/bin/jcmd", Long.toString(pid), "GC.run");
            String out = run(jdk + "/bin/jstat", "-gc", Long.toString(pid));
            String[] lines = out.strip().split("\n");
            String[] names = lines[0].trim().split("\\s+");
            String[] values = lines[1].trim().split("\\s+");
            double kib = 0;
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
                    kib += Double.parseDouble(values[i]);
                }
            }
            return (long) (kib * 1024);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private boolean isJvm() {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .map(c -> c.endsWith("/java") || c.endsWith("/java.exe")).orElse(false);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
