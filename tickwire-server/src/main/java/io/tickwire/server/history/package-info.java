/**
 * Stored history for clients: the {@link io.tickwire.server.history.HistoryService} that runs
 * history requests off the I/O threads for the native protocol (and later the dialects), and the
 * REST endpoints {@code /v1/history/*} and {@code /v1/instruments}.
 */
package io.tickwire.server.history;
