package io.tickwire.auth;

/** The outcome of an authentication attempt. */
public sealed interface AuthResult {

    /** The credential is good: the account it belongs to. */
    record Success(Account account) implements AuthResult {
    }

    /** The credential was refused; {@code message} is safe to show the client (it holds no secret). */
    record Failure(Reason reason, String message) implements AuthResult {
    }

    /** Why a credential was refused. */
    enum Reason {
        /** No credential of this kind matches. */
        INVALID_CREDENTIAL,
        /** This authenticator does not handle this kind of credential. */
        UNSUPPORTED_CREDENTIAL
    }
}
