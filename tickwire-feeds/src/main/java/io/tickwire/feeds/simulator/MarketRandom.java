package io.tickwire.feeds.simulator;

import java.util.SplittableRandom;

/**
 * The simulator's one source of randomness: a {@link SplittableRandom} from the seed plus the
 * distributions a market needs, computed with {@link StrictMath} so the same seed gives the same
 * numbers on every JVM and CPU.
 *
 * <p>Not thread-safe: owned by its simulator.
 */
final class MarketRandom {

    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    MarketRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return random.nextDouble();
    }

    /** Uniform in [0, bound). */
    int below(int bound) {
        return random.nextInt(bound);
    }

    /** True with the given probability. */
    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A standard normal draw (Marsaglia's polar method). */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /** A log-normal draw with mean 1 and the given log standard deviation. */
    double logNormal(double sigma) {
        return StrictMath.exp(sigma * gaussian() - sigma * sigma / 2);
    }

    /** An exponential draw with the given mean. */
    double exponential(double mean) {
        return -mean * StrictMath.log(1 - random.nextDouble());
    }

    /** How many failures before the first success of probability {@code p}, capped at {@code max}. */
    int geometric(double p, int max) {
        int n = 0;
        while (n < max && random.nextDouble() >= p) {
            n++;
        }
        return n;
    }
}
