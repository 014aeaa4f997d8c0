package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./tickwire} launcher finds a JDK 21+ by itself and runs the built CLI. */
class LauncherTest {

    private static final Path LAUNCHER = Distribution.ROOT.resolve("tickwire");

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void usesJavaHomeWhenItIsNewEnough() throws Exception {
        Result r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("tickwire 0.1.0").contains("Java " + Runtime.version().feature());
    }

    @Test
    void findsAJdkWhenJavaHomeIsNoJdk(@TempDir Path notAJdk) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        Result r = run(Map.of("JAVA_HOME", notAJdk.toString(), "PATH", javaBin + ":/usr/bin:/bin"), "--version");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("tickwire 0.1.0");
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains("serve").contains("demo").contains("tail");
        assertThat(Files.isExecutable(LAUNCHER)).as("the launcher is executable in the repository").isTrue();
    }
}
