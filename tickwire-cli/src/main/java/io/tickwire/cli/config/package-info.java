/**
 * Tickwire's one configuration file: YAML over built-in defaults, with environment variables
 * overriding single values. {@link io.tickwire.cli.config.ConfigLoader} reads it into a
 * {@link io.tickwire.cli.config.TickwireConfig}; unknown keys and bad values are errors that name
 * the key.
 */
package io.tickwire.cli.config;
