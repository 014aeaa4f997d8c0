package io.tickwire.auth;

/**
 * Turns a credential into an account, or a reason.
 *
 * <p>Implementations are thread-safe and fast enough to call on an I/O thread (no network, no
 * blocking); schemes that must call out (OAuth2) do so outside the I/O thread.
 */
@FunctionalInterface
public interface Authenticator {

    /** Checks a credential. Never throws for a bad credential: that is a {@link AuthResult.Failure}. */
    AuthResult authenticate(Credential credential);
}
