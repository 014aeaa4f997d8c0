/**
 * History: every trade, quote, closed bar and book snapshot stored, and the queries that read
 * them back.
 *
 * <p>{@link io.tickwire.store.HistoryStore} is the writing side: an {@link io.tickwire.engine.EventTap}
 * that never blocks the engine, with an asynchronous writer behind a bounded queue.
 * {@link io.tickwire.store.HistoryQueries} is the reading side that the native protocol, REST and
 * the dialects all answer from. The embedded QuestDB implementation lives in
 * {@link io.tickwire.store.questdb}; CSV import and replay build on the two interfaces.
 */
package io.tickwire.store;
