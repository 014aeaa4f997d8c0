/**
 * Resuming a subscription after a reconnect: the recent messages of each full-rate stream, and
 * the outcome the engine reports to fan-out.
 */
package io.tickwire.engine.resume;
