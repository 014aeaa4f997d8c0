/**
 * Who may connect and what they may do: {@link io.tickwire.auth.Account}s with their
 * {@link io.tickwire.auth.Plan}, and {@link io.tickwire.auth.Authenticator}s that turn a
 * {@link io.tickwire.auth.Credential} into an account or a reason.
 *
 * <p>Secrets are never kept in clear: API tokens are stored as SHA-256 hashes. Nothing here
 * logs a credential.
 */
package io.tickwire.auth;
