/**
 * The deterministic market simulator: per-instrument synthetic order books that random-walk,
 * trade and requote, turned into the quotes and trades a real feed would send.
 *
 * <p>{@link io.tickwire.feeds.simulator.MarketSimulator} is pure: its output is a function of the
 * seed, the catalogue, the configuration and the times it is given, and it owns no thread.
 * {@link io.tickwire.feeds.simulator.SimulatorRunner} owns the one thread that paces a simulator
 * at a rate into a {@link io.tickwire.engine.ingest.MarketDataSink}.
 */
package io.tickwire.feeds.simulator;
