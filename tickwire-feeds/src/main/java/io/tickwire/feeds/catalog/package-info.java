/**
 * The default instrument catalogue and the per-instrument parameters a simulator needs to make
 * a plausible market of each instrument (starting price, volatility, spread, trade size, activity).
 *
 * <p>Everything public here is immutable and thread-safe; loading is done once, at start-up.
 */
package io.tickwire.feeds.catalog;
