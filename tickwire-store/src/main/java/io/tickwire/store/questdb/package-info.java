/**
 * History on an embedded QuestDB: {@link io.tickwire.store.questdb.QuestDbStore} opens the data
 * directory, creates the tables, runs the writer thread and answers queries.
 *
 * <p>Tables (designated timestamp, partitioned by day, non-WAL so a commit is visible at once):
 * {@code trades}, {@code quotes}, {@code bars} (closed bars), {@code book_snapshots},
 * {@code gaps} (records the writer had to drop) and {@code instruments} (the scales prices were
 * stored with). Prices and sizes are scaled {@code LONG}s at the instrument's scales, so what is
 * read back is exactly what was streamed.
 */
package io.tickwire.store.questdb;
