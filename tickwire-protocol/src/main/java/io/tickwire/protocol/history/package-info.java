/**
 * History requests and answers on the wire, shared by the native protocol's {@code history} op
 * and the REST endpoints under {@code /v1/history}: parsing and validating parameters into a
 * {@link io.tickwire.protocol.history.HistoryRequest}, paging cursors, and writing pages as JSON
 * or CSV. Parsing and encoding only; the queries themselves are the store's.
 */
package io.tickwire.protocol.history;
