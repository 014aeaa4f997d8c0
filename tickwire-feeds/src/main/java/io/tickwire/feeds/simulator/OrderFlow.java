package io.tickwire.feeds.simulator;

import io.tickwire.model.AssetClass;

/**
 * The mix of what happens in one simulated market step, per asset class: a trade at the touch, a
 * requote of the book around its fair value, or liquidity added or cancelled at one level. The
 * shares sum to 1. Immutable.
 *
 * @param trade     share of steps that are trades
 * @param requote   share of steps that recentre the book on its fair value
 * @param liquidity share of steps that add or cancel size at one level
 */
record OrderFlow(double trade, double requote, double liquidity) {

    private static final OrderFlow CRYPTO = new OrderFlow(0.35, 0.30, 0.35);
    /** FX is quote-driven: most updates are dealers moving their prices, few trades are visible. */
    private static final OrderFlow FX = new OrderFlow(0.06, 0.59, 0.35);
    private static final OrderFlow EQUITY = new OrderFlow(0.30, 0.30, 0.40);

    OrderFlow {
        if (Math.abs(trade + requote + liquidity - 1) > 1e-9) {
            throw new IllegalArgumentException("shares must sum to 1: " + trade + " + " + requote + " + " + liquidity);
        }
    }

    static OrderFlow of(AssetClass assetClass) {
        return switch (assetClass) {
            case CRYPTO -> CRYPTO;
            case FX -> FX;
            case EQUITY -> EQUITY;
        };
    }
}
