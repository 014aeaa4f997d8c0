package io.tickwire.auth;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The limits an account lives within.
 *
 * @param name              the plan's name, e.g. {@code pro}
 * @param maxConnections    concurrent connections per account
 * @param onConnectionLimit what happens to the connection over the limit
 * @param maxSymbols        distinct symbols one connection may subscribe to
 * @param channels          channels the plan includes
 * @param requestsPerSecond sustained requests per connection per second
 * @param requestBurst      requests a connection may send at once before the rate applies
 * @param instrumentSets    asset classes (instrument sets, iTick's clusters) the plan includes; empty means all
 * @param slowConsumer      what happens to a connection that cannot keep up
 */
public record Plan(String name, int maxConnections, ConnectionPolicy onConnectionLimit, int maxSymbols,
                   Set<Channel> channels, int requestsPerSecond, int requestBurst,
                   Set<AssetClass> instrumentSets, SlowConsumerPolicy slowConsumer) {

    public Plan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(onConnectionLimit, "onConnectionLimit");
        positive(maxConnections, "maxConnections", name);
        positive(maxSymbols, "maxSymbols", name);
        positive(requestsPerSecond, "requestsPerSecond", name);
        positive(requestBurst, "requestBurst", name);
        if (channels == null || channels.isEmpty()) {
            throw new IllegalArgumentException("plan " + name + ": channels must not be empty");
        }
        channels = Set.copyOf(EnumSet.copyOf(channels));
        instrumentSets = instrumentSets == null || instrumentSets.isEmpty() ? Set.of() : Set.copyOf(instrumentSets);
        slowConsumer = slowConsumer == null ? SlowConsumerPolicy.DISCONNECT : slowConsumer;
    }

    /** A plan over every instrument set, disconnecting slow consumers. */
    public Plan(String name, int maxConnections, ConnectionPolicy onConnectionLimit, int maxSymbols,
                Set<Channel> channels, int requestsPerSecond, int requestBurst) {
        this(name, maxConnections, onConnectionLimit, maxSymbols, channels, requestsPerSecond, requestBurst, Set.of(),
                SlowConsumerPolicy.DISCONNECT);
    }

    private static void positive(int value, String field, String plan) {
        if (value < 1) {
            throw new IllegalArgumentException("plan " + plan + ": " + field + " must be >= 1, was " + value);
        }
    }

    /** Whether the plan includes a channel. */
    public boolean allows(Channel channel) {
        return channels.contains(channel);
    }

    /** Whether the plan includes instruments of an asset class. */
    public boolean entitles(AssetClass assetClass) {
        return instrumentSets.isEmpty() || instrumentSets.contains(assetClass);
    }

    /**
     * The asset class an instrument-set name stands for: an asset class ({@code crypto}, {@code fx},
     * {@code equity}) or an iTick cluster name ({@code forex}, {@code stock}); {@code null} if unknown.
     */
    public static AssetClass instrumentSet(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "forex" -> AssetClass.FX;
            case "stock", "stocks", "equities" -> AssetClass.EQUITY;
            default -> AssetClass.fromWire(name.trim());
        };
    }
}
