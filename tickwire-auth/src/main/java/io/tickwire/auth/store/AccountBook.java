package io.tickwire.auth.store;

import io.tickwire.auth.Account;
import io.tickwire.auth.jwt.JwtKeys;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every account with its usable credentials, indexed for authentication: token digests, HMAC keys
 * with their decrypted secrets, JWT public keys, TOTP seeds, session-token digests and OAuth2
 * subjects. Built from the configured accounts and the stored credentials; immutable and
 * thread-safe. Decrypted secrets live only here, in memory.
 */
public final class AccountBook {

    private static final Logger LOG = LoggerFactory.getLogger(AccountBook.class);

    /** An HMAC key ready to verify signatures. {@code toString} hides the secret. */
    public record HmacKey(String id, String key, byte[] secret, Account account) {
        @Override
        public String toString() {
            return "HmacKey[" + id + ", " + account.name() + "]";
        }
    }

    /** A registered JWT public key and the algorithm it signs with. */
    public record JwtKey(String kid, String algorithm, PublicKey publicKey, Account account) {
    }

    /** A session token issued by the OAuth2 exchange. */
    public record SessionGrant(String id, Account account, String userId, String subject, long expiresAtMicros) {
    }

    private final Map<String, Account> accounts;
    private final TokenAuthenticator tokens;
    private final Map<String, HmacKey> hmac;
    private final Map<String, JwtKey> jwt;
    private final Map<String, byte[]> totp;
    private final Map<ByteBuffer, SessionGrant> sessions;
    private final Map<String, Account> subjects;
    private final Map<String, String> emails;
    private final Set<String> credentialIds;

    private AccountBook(Builder b) {
        this.accounts = Map.copyOf(b.accounts);
        this.tokens = b.tokens.build();
        this.hmac = Map.copyOf(b.hmac);
        this.jwt = Map.copyOf(b.jwt);
        this.totp = Map.copyOf(b.totp);
        this.sessions = Map.copyOf(b.sessions);
        this.subjects = Map.copyOf(b.subjects);
        this.emails = Map.copyOf(b.emails);
        this.credentialIds = Set.copyOf(b.credentialIds);
    }

    /** No accounts at all. */
    public static AccountBook empty() {
        return build(Map.of(), Map.of(), StoredCredentials.EMPTY, null);
    }

    /**
     * Indexes accounts and their credentials. Credentials of an account that is not in
     * {@code accounts} are skipped with a warning (the account was removed from the configuration).
     *
     * @param oauthSubjects per account, the OAuth2 subjects (client ids) that map to it
     * @param masterKey     decrypts HMAC secrets and TOTP seeds; may be {@code null} if none are stored
     * @throws IllegalArgumentException naming the account and credential that cannot be used
     *                                  (a malformed hash or key, a secret that does not decrypt, a duplicate)
     */
    public static AccountBook build(Map<String, Account> accounts, Map<String, List<String>> oauthSubjects,
                                    StoredCredentials credentials, MasterKey masterKey) {
        Builder b = new Builder();
        b.accounts.putAll(accounts);
        oauthSubjects.forEach((name, subs) -> {
            Account account = accounts.get(name);
            for (String subject : subs) {
                Account previous = b.subjects.putIfAbsent(subject, account);
                if (previous != null && !previous.name().equals(name)) {
                    throw new IllegalArgumentException("OAuth2 subject '" + subject + "' is configured for accounts "
                            + previous.name() + " and " + name);
                }
            }
        });
        credentials.accounts().forEach((name, c) -> {
            Account account = accounts.get(name);
            if (account == null) {
                LOG.warn("stored credentials of account '{}' are ignored: no such account is configured", name);
                return;
            }
            b.add(account, c, masterKey);
        });
        return new AccountBook(b);
    }

    private static final class Builder {
        final Map<String, Account> accounts = new HashMap<>();
        final TokenAuthenticator.Builder tokens = TokenAuthenticator.builder();
        final Map<String, HmacKey> hmac = new HashMap<>();
        final Map<String, JwtKey> jwt = new HashMap<>();
        final Map<String, byte[]> totp = new HashMap<>();
        final Map<ByteBuffer, SessionGrant> sessions = new HashMap<>();
        final Map<String, Account> subjects = new HashMap<>();
        final Map<String, String> emails = new HashMap<>();
        final Set<String> credentialIds = new HashSet<>();

        void add(Account account, StoredCredentials.AccountCredentials c, MasterKey masterKey) {
            String name = account.name();
            for (StoredCredentials.StoredToken t : c.tokens()) {
                where(name, "token " + t.id(), () -> {
                    tokens.add(t.hash(), account);
                    credentialIds.add(name + '\u0000' + TokenHash.idOfStored(t.hash()));
                });
            }
            for (StoredCredentials.StoredHmacKey k : c.hmac()) {
                where(name, "hmac " + k.id(), () -> {
                    require(k.id() != null && !k.id().isBlank() && k.key() != null, "id and key are required");
                    byte[] secret = needKey(masterKey).decrypt(k.secret(), hmacContext(name, k.id()));
                    HmacKey previous = hmac.putIfAbsent(k.id(), new HmacKey(k.id(), k.key(), secret, account));
                    require(previous == null, "the id is also used by account " + (previous == null ? "" : previous.account().name()));
                    credentialIds.add(name + '\u0000' + k.id());
                });
            }
            for (StoredCredentials.StoredJwtKey k : c.jwt()) {
                where(name, "jwt " + k.kid(), () -> {
                    require(k.kid() != null && !k.kid().isBlank(), "kid is required");
                    PublicKey key = JwtKeys.publicKeyFromPem(k.publicKey());
                    String algorithm = JwtKeys.algorithmOf(key);
                    require(k.algorithm() == null || k.algorithm().equals(algorithm),
                            "algorithm " + k.algorithm() + " does not match the key (" + algorithm + ")");
                    JwtKey previous = jwt.putIfAbsent(k.kid(), new JwtKey(k.kid(), algorithm, key, account));
                    require(previous == null, "the kid is also used by account " + (previous == null ? "" : previous.account().name()));
                    credentialIds.add(name + '\u0000' + k.kid());
                });
            }
            if (c.totp() != null) {
                where(name, "totp", () -> {
                    totp.put(name, needKey(masterKey).decrypt(c.totp().secret(), totpContext(name)));
                    credentialIds.add(name + '\u0000' + "totp");
                });
            }
            for (StoredCredentials.StoredSession s : c.sessions()) {
                where(name, "session " + s.id(), () -> {
                    byte[] digest = TokenHash.parse(s.hash());
                    long expires = s.expires() == null ? Long.MAX_VALUE : micros(Instant.parse(s.expires()));
                    sessions.put(ByteBuffer.wrap(digest), new SessionGrant(s.id(), account, s.userId(), s.subject(), expires));
                    credentialIds.add(name + '\u0000' + s.id());
                });
            }
            if (c.supportEmail() != null) {
                emails.put(name, c.supportEmail());
            }
        }
    }

    /** The associated data an HMAC secret is encrypted with. */
    public static String hmacContext(String account, String id) {
        return "tickwire:hmac:" + account + ":" + id;
    }

    /** The associated data a TOTP seed is encrypted with. */
    public static String totpContext(String account) {
        return "tickwire:totp:" + account;
    }

    private static MasterKey needKey(MasterKey key) {
        if (key == null) {
            throw new IllegalArgumentException("an encrypted secret is stored but " + MasterKey.ENVIRONMENT_VARIABLE
                    + " is not set");
        }
        return key;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static void where(String account, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("account " + account + ", " + what + ": " + e.getMessage(), e);
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** The account with this name, or {@code null}. */
    public Account account(String name) {
        return accounts.get(name);
    }

    /** Every account by name. */
    public Map<String, Account> accounts() {
        return accounts;
    }

    /** API tokens. */
    public TokenAuthenticator tokens() {
        return tokens;
    }

    /** The HMAC key with this Web API id, or {@code null}. */
    public HmacKey hmacKey(String webApiId) {
        return hmac.get(webApiId);
    }

    /** The JWT key with this key name, or {@code null}. */
    public JwtKey jwtKey(String kid) {
        return jwt.get(kid);
    }

    /** The account's TOTP seed, or {@code null} if it does not use two-factor authentication. */
    public byte[] totpSeed(String account) {
        return totp.get(account);
    }

    /** The session token with this SHA-256 digest, or {@code null}. */
    public SessionGrant session(byte[] digest) {
        return sessions.get(ByteBuffer.wrap(digest));
    }

    /** The account an OAuth2 subject maps to, or {@code null}. */
    public Account bySubject(String subject) {
        return subjects.get(subject);
    }

    /** The account's registered support e-mail, or {@code null}. */
    public String supportEmail(String account) {
        return emails.get(account);
    }

    /** Whether the account still exists and still holds the credential (false once revoked). */
    public boolean holds(String account, String credentialId) {
        return accounts.containsKey(account) && (credentialId == null || credentialIds.contains(account + '\u0000' + credentialId));
    }
}
