package io.tickwire.cli.app;

import io.tickwire.store.replay.ReplaySpeed;
import java.util.List;
import java.util.Objects;

/**
 * What {@code tickwire replay} replays: stored events with times in {@code [from, to)}, at a
 * speed, of some symbols (all when the list is empty).
 */
public record ReplayPlan(long from, long to, ReplaySpeed speed, List<String> symbols) {

    public ReplayPlan {
        Objects.requireNonNull(speed, "speed");
        symbols = List.copyOf(symbols == null ? List.of() : symbols);
        if (from >= to) {
            throw new IllegalArgumentException("--from must be before --to");
        }
    }
}
