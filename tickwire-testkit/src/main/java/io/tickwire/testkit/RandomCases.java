package io.tickwire.testkit;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property-style testing in plain JUnit: checks a property over many generated inputs, each drawn
 * from its own seed, and on failure names the seed and the input so the case can be replayed.
 *
 * <p>Deterministic by default (the same seeds every run, so CI is reproducible); set the system
 * property {@code tickwire.test.seed} to explore other inputs. No shrinking: generators should
 * favour small inputs and edge values themselves. Stateless and thread-safe.
 */
public final class RandomCases {

    private static final long DEFAULT_SEED = 0x71C_3173_00L;

    private RandomCases() {
    }

    /** The base seed: {@code -Dtickwire.test.seed}, else a fixed default. */
    public static long baseSeed() {
        String configured = System.getProperty("tickwire.test.seed");
        return configured == null ? DEFAULT_SEED : Long.parseLong(configured);
    }

    /**
     * Checks {@code property} for {@code cases} inputs.
     *
     * @throws AssertionError for the first failing input, with its seed and value
     */
    public static <T> void check(int cases, Function<SplittableRandom, T> generator, Consumer<T> property) {
        long base = baseSeed();
        for (int i = 0; i < cases; i++) {
            long seed = base + i;
            T input = generator.apply(new SplittableRandom(seed));
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException e) {
                AssertionError failure = new AssertionError("property failed for case " + i + " (seed " + seed
                        + ", replay with -Dtickwire.test.seed=" + seed + "): input " + abbreviate(String.valueOf(input))
                        + "\n" + e.getMessage(), e);
                throw failure;
            }
        }
    }

    /** A long that is an edge value about one time in eight, else uniformly random. */
    public static long anyLong(SplittableRandom random) {
        return switch (random.nextInt(16)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> random.nextLong(-1_000, 1_000);
            default -> random.nextLong();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "…";
    }
}
