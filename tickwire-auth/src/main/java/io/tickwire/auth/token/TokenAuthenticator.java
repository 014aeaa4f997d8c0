package io.tickwire.auth.token;

import io.tickwire.auth.Account;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.Authenticator;
import io.tickwire.auth.Credential;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * Authenticates bearer API tokens against stored SHA-256 hashes.
 *
 * <p>The lookup is by digest, then the digest is compared again with
 * {@link MessageDigest#isEqual} (constant time), so timing reveals nothing about stored tokens.
 * Immutable and thread-safe; build a new one to change the token set.
 */
public final class TokenAuthenticator implements Authenticator {

    private final Map<ByteBuffer, Entry> byDigest;

    private record Entry(byte[] digest, Account account) {
    }

    private TokenAuthenticator(Map<ByteBuffer, Entry> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    /** A builder collecting (stored hash, account) pairs. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public AuthResult authenticate(Credential credential) {
        if (!(credential instanceof Credential.ApiToken(String token))) {
            return new AuthResult.Failure(AuthResult.Reason.UNSUPPORTED_CREDENTIAL, "not an API token");
        }
        byte[] digest = TokenHash.digest(token);
        Entry entry = byDigest.get(ByteBuffer.wrap(digest));
        if (entry == null || !MessageDigest.isEqual(entry.digest(), digest)) {
            return new AuthResult.Failure(AuthResult.Reason.INVALID_CREDENTIAL, "invalid API token");
        }
        return new AuthResult.Success(entry.account(), TokenHash.id(digest), AuthResult.Success.NEVER);
    }

    /** Collects token hashes; not thread-safe. */
    public static final class Builder {
        private final Map<ByteBuffer, Entry> byDigest = new HashMap<>();

        /**
         * Adds a stored token hash ({@code sha256:…}) for an account.
         *
         * @throws IllegalArgumentException if the hash is malformed or already belongs to another account
         */
        public Builder add(String storedHash, Account account) {
            byte[] digest = TokenHash.parse(storedHash);
            Entry previous = byDigest.putIfAbsent(ByteBuffer.wrap(digest), new Entry(digest, account));
            if (previous != null && !previous.account().name().equals(account.name())) {
                throw new IllegalArgumentException("the same token hash is configured for accounts "
                        + previous.account().name() + " and " + account.name());
            }
            return this;
        }

        public TokenAuthenticator build() {
            return new TokenAuthenticator(byDigest);
        }
    }
}
