package io.tickwire.auth.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Credentials as stored: per account, token hashes, HMAC keys with encrypted secrets, JWT public
 * keys, an encrypted TOTP seed, OAuth2 session-token hashes and a support e-mail. Never a secret in
 * clear. The shape of the credentials file ({@code auth.credentialsFile}) and of the credential
 * fields of an account in the main configuration. Immutable; the {@code with…} methods return copies.
 *
 * @param accounts credentials by account name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StoredCredentials(Map<String, AccountCredentials> accounts) {

    /** Nothing stored. */
    public static final StoredCredentials EMPTY = new StoredCredentials(Map.of());

    public StoredCredentials {
        accounts = accounts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
    }

    /** The credentials of an account; empty if it has none. */
    public AccountCredentials of(String account) {
        return accounts.getOrDefault(account, AccountCredentials.NONE);
    }

    /** A copy with one account's credentials changed. */
    public StoredCredentials with(String account, UnaryOperator<AccountCredentials> change) {
        Map<String, AccountCredentials> copy = new LinkedHashMap<>(accounts);
        AccountCredentials changed = change.apply(of(account));
        if (changed.isEmpty()) {
            copy.remove(account);
        } else {
            copy.put(account, changed);
        }
        return new StoredCredentials(copy);
    }

    /** Both sets of credentials; lists of the same account are concatenated, {@code other} wins for single values. */
    public StoredCredentials merge(StoredCredentials other) {
        Map<String, AccountCredentials> copy = new LinkedHashMap<>(accounts);
        other.accounts.forEach((name, c) -> copy.merge(name, c, AccountCredentials::merge));
        return new StoredCredentials(copy);
    }

    /** One account's credentials. Lists are never null. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record AccountCredentials(List<StoredToken> tokens, List<StoredHmacKey> hmac, List<StoredJwtKey> jwt,
                                     StoredTotp totp, List<StoredSession> sessions, String supportEmail) {
        /** No credentials. */
        public static final AccountCredentials NONE = new AccountCredentials(null, null, null, null, null, null);

        public AccountCredentials {
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
            hmac = hmac == null ? List.of() : List.copyOf(hmac);
            jwt = jwt == null ? List.of() : List.copyOf(jwt);
            sessions = sessions == null ? List.of() : List.copyOf(sessions);
        }

        boolean isEmpty() {
            return tokens.isEmpty() && hmac.isEmpty() && jwt.isEmpty() && totp == null && sessions.isEmpty()
                    && supportEmail == null;
        }

        AccountCredentials merge(AccountCredentials o) {
            return new AccountCredentials(concat(tokens, o.tokens), concat(hmac, o.hmac), concat(jwt, o.jwt),
                    o.totp != null ? o.totp : totp, concat(sessions, o.sessions),
                    o.supportEmail != null ? o.supportEmail : supportEmail);
        }

        public AccountCredentials withToken(StoredToken t) {
            return new AccountCredentials(concat(tokens, List.of(t)), hmac, jwt, totp, sessions, supportEmail);
        }

        public AccountCredentials withHmac(StoredHmacKey k) {
            return new AccountCredentials(tokens, concat(hmac, List.of(k)), jwt, totp, sessions, supportEmail);
        }

        public AccountCredentials withJwt(StoredJwtKey k) {
            return new AccountCredentials(tokens, hmac, concat(jwt, List.of(k)), totp, sessions, supportEmail);
        }

        public AccountCredentials withTotp(StoredTotp t) {
            return new AccountCredentials(tokens, hmac, jwt, t, sessions, supportEmail);
        }

        public AccountCredentials withSession(StoredSession s) {
            return new AccountCredentials(tokens, hmac, jwt, totp, concat(sessions, List.of(s)), supportEmail);
        }

        /**
         * A copy with session {@code s} added, the sessions expired at {@code now} left out, and, past
         * {@code max} sessions, the oldest (first issued) left out too.
         */
        public AccountCredentials withSession(StoredSession s, Instant now, int max) {
            List<StoredSession> kept = new ArrayList<>(sessions.size() + 1);
            for (StoredSession session : sessions) {
                if (!session.expiredAt(now)) {
                    kept.add(session);
                }
            }
            kept.add(s);
            return new AccountCredentials(tokens, hmac, jwt, totp, kept.subList(Math.max(0, kept.size() - max), kept.size()),
                    supportEmail);
        }

        public AccountCredentials withSupportEmail(String email) {
            return new AccountCredentials(tokens, hmac, jwt, totp, sessions, email);
        }

        /** A copy without any credential whose id is {@code id} ({@code totp} removes the TOTP seed). */
        public AccountCredentials without(String id) {
            return new AccountCredentials(
                    tokens.stream().filter(t -> !id.equals(t.id())).toList(),
                    hmac.stream().filter(k -> !id.equals(k.id())).toList(),
                    jwt.stream().filter(k -> !id.equals(k.kid())).toList(),
                    "totp".equals(id) ? null : totp,
                    sessions.stream().filter(s -> !id.equals(s.id())).toList(),
                    supportEmail);
        }

        private static <T> List<T> concat(List<T> a, List<T> b) {
            if (b.isEmpty()) {
                return a;
            }
            List<T> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }

    /**
     * An API token's hash.
     *
     * @param id      {@code tok-} and the first 12 hex digits of the hash
     * @param hash    {@code sha256:…}
     * @param created ISO-8601 instant, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredToken(String id, String hash, String created) {
    }

    /**
     * A TickTrader HMAC key.
     *
     * @param id     the Web API id the client sends
     * @param key    the Web API key the client sends with it (an identifier, not a secret)
     * @param secret the HMAC secret encrypted with the master key ({@code enc:v1:…})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredHmacKey(String id, String key, String secret, String created) {
        @Override
        public String toString() {
            return "StoredHmacKey[id=" + id + ", secret=<encrypted>]";
        }
    }

    /**
     * A JWT signing key's public half.
     *
     * @param kid       the key name the client puts in the JWT header
     * @param algorithm {@code ES256} or {@code EdDSA}
     * @param publicKey the public key as PEM ({@code -----BEGIN PUBLIC KEY-----})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredJwtKey(String kid, String algorithm, String publicKey, String created) {
    }

    /** A TOTP seed encrypted with the master key. Its id is {@code totp}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredTotp(String secret, String created) {
        @Override
        public String toString() {
            return "StoredTotp[<encrypted>]";
        }
    }

    /**
     * An OAuth2 session token's hash.
     *
     * @param id      {@code ses-…}
     * @param hash    {@code sha256:…} of the token
     * @param userId  the user id answered to the exchange ({@code sid:…})
     * @param subject the provider's subject the token was exchanged for
     * @param expires ISO-8601 instant after which the token is refused
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredSession(String id, String hash, String userId, String subject, String created, String expires) {
        public StoredSession {
            Objects.requireNonNull(id, "id");
        }

        /** Whether the token is refused as expired at {@code now} (one without a readable expiry never is). */
        public boolean expiredAt(Instant now) {
            if (expires == null) {
                return false;
            }
            try {
                return !now.isBefore(Instant.parse(expires));
            } catch (DateTimeParseException e) {
                return false; // not ours to judge: the book names the broken entry when it loads
            }
        }
    }
}
