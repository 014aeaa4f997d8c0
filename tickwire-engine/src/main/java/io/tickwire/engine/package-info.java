/**
 * The market-data engine: where sourced events are sequenced, turned into state (last values;
 * later books and bars) and handed to fan-out with the set of routes that want them.
 *
 * <p>Threading: every instrument belongs to exactly one partition and one thread owns each
 * partition's state; nothing here takes a lock on the hot path. Sources and sessions talk to a
 * partition only through its bounded queues ({@link io.tickwire.engine.bus.Bus}).
 */
package io.tickwire.engine;
