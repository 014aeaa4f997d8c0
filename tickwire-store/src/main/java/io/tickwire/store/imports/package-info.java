/** Loading recorded data into the store: trades from CSV files. */
package io.tickwire.store.imports;
