package io.tickwire.store.questdb;

import io.questdb.cairo.TableWriter;
import java.util.Arrays;

/**
 * The keys a table's writer gave a symbol column's values, cached by a small dense index (an
 * instrument id, an enum ordinal), so appending a row does not hash the symbol's text each time.
 * Valid for one writer only: {@link #reset} when a new writer is taken (a rolled-back writer may
 * have forgotten keys it handed out). Writer thread only.
 */
final class SymbolKeys {

    private int column;
    private int[] keys = new int[0];

    /** Starts over for a new writer's column. */
    void reset(int columnIndex, int size) {
        column = columnIndex;
        if (keys.length < size) {
            keys = new int[size];
        }
        Arrays.fill(keys, -1);
    }

    /** Puts the value with this index into the row, asking the writer for its key the first time. */
    void put(TableWriter writer, TableWriter.Row row, int index, CharSequence value) {
        int key = keys[index];
        if (key < 0) {
            key = writer.getSymbolMapWriter(column).put(value);
            keys[index] = key;
        }
        row.putSymIndex(column, key);
    }
}
