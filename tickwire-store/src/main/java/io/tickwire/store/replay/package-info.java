/**
 * Replay: stored trades and quotes published again as a live feed, in event-time order, at a
 * chosen speed, with their original times and sequence numbers.
 */
package io.tickwire.store.replay;
