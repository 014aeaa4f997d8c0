/**
 * JMH micro-benchmarks of the hot paths: applying book updates, aggregating bars, the whole
 * partition engine, and encoding messages for the wire. Run with
 * {@code java -jar tickwire-bench/target/benchmarks.jar [regex] -prof gc}; the figures and the
 * exact commands live in {@code docs/benchmarks.md}.
 */
package io.tickwire.bench.jmh;
