package io.tickwire.server;

import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.Scheme;
import io.tickwire.auth.SchemeAuthenticator;
import io.tickwire.auth.SlowConsumerPolicy;
import io.tickwire.auth.jwt.JwtKeys;
import io.tickwire.auth.oauth.AccessTokenValidator;
import io.tickwire.auth.oauth.OidcSettings;
import io.tickwire.auth.oauth.SessionExchange;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.CredentialStore;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.auth.totp.Totp;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.server.session.auth.ServerAuth;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accounts with a credential of every scheme, in a real account directory, for end-to-end tests
 * of the server's authentication. Keys and secrets are made fresh for each fixture.
 */
final class AuthFixture {

    static final Plan PRO = new Plan("pro", 50, ConnectionPolicy.REJECT_NEW, 5, EnumSet.of(Channel.QUOTE, Channel.TRADE), 50, 100);
    static final Plan CRYPTO = new Plan("crypto", 50, ConnectionPolicy.REJECT_NEW, 5, EnumSet.of(Channel.QUOTE, Channel.TRADE), 50, 100,
            Set.of(AssetClass.CRYPTO), SlowConsumerPolicy.CONFLATE);
    /** Heartbeats far apart and deadlines long, so moving the manual clock never makes a connection look idle or late. */
    static final ServerConfig QUIET = ServerConfig.defaults().toBuilder()
            .heartbeatInterval(java.time.Duration.ofMinutes(5)).idleTimeout(java.time.Duration.ofHours(1))
            .authDeadline(java.time.Duration.ofMinutes(10)).build();
    static final String DESK_TOKEN = "desk-token";
    static final String CRYPTO_TOKEN = "crypto-token";
    static final String SECURE_TOKEN = "secure-token";
    static final String HMAC_ID = "desk-web-id";
    static final String HMAC_KEY = "desk-web-key";
    static final String HMAC_SECRET = "desk-web-secret";
    /** A feed plan with every channel, for the TickTrader dialect's accounts. */
    static final Plan FEED = new Plan("feed", 50, ConnectionPolicy.REJECT_NEW, 3, EnumSet.allOf(Channel.class), 50, 100);
    static final String FEED_ID = "feed-web-id";
    static final String FEED_KEY = "feed-web-key";
    static final String FEED_SECRET = "feed-web-secret";
    /** The crypto-only account's TickTrader key. */
    static final String CRYPTO_ID = "crypto-web-id";
    static final String CRYPTO_KEY = "crypto-web-key";
    static final String CRYPTO_SECRET = "crypto-web-secret";
    static final String GUARDED_ID = "guarded-web-id";
    static final String GUARDED_KEY = "guarded-web-key";
    static final String GUARDED_SECRET = "guarded-web-secret";
    static final String KID = "organizations/desk/apiKeys/1";
    static final byte[] TOTP_SEED = Totp.newSeed();

    final MasterKey masterKey = MasterKey.parse(MasterKey.generate());
    final KeyPair jwtKeys = JwtKeys.generate(JwtKeys.ES256);
    final Clock clock;
    final AccountDirectory directory;

    AuthFixture(Clock clock) {
        this.clock = clock;
        Map<String, Account> accounts = Map.of("desk", new Account("desk", PRO), "secure", new Account("secure", PRO),
                "cryptofan", new Account("cryptofan", CRYPTO), "corp", new Account("corp", PRO),
                "feeder", new Account("feeder", FEED), "guarded", new Account("guarded", FEED),
                "enterprise", new Account("enterprise", FEED));
        StoredCredentials credentials = StoredCredentials.EMPTY
                .with("desk", c -> c.withToken(token(DESK_TOKEN))
                        .withHmac(new StoredCredentials.StoredHmacKey(HMAC_ID, HMAC_KEY, masterKey.encrypt(
                                HMAC_SECRET.getBytes(StandardCharsets.UTF_8), AccountBook.hmacContext("desk", HMAC_ID)), null))
                        .withJwt(new StoredCredentials.StoredJwtKey(KID, "ES256", JwtKeys.toPem(jwtKeys.getPublic()), null)))
                .with("secure", c -> c.withToken(token(SECURE_TOKEN)).withTotp(new StoredCredentials.StoredTotp(
                        masterKey.encrypt(TOTP_SEED, AccountBook.totpContext("secure")), null)))
                .with("cryptofan", c -> c.withToken(token(CRYPTO_TOKEN)).withHmac(hmac("cryptofan", CRYPTO_ID, CRYPTO_KEY, CRYPTO_SECRET)))
                .with("feeder", c -> c.withHmac(hmac("feeder", FEED_ID, FEED_KEY, FEED_SECRET)))
                .with("guarded", c -> c.withHmac(hmac("guarded", GUARDED_ID, GUARDED_KEY, GUARDED_SECRET))
                        .withTotp(new StoredCredentials.StoredTotp(masterKey.encrypt(TOTP_SEED, AccountBook.totpContext("guarded")), null)));
        this.directory = new AccountDirectory(new AccountDirectory.Configured(accounts, Map.of("corp", List.of("corp-client"), "enterprise", List.of("enterprise-client")),
                StoredCredentials.EMPTY), CredentialStore.inMemory(credentials), masterKey);
    }

    private StoredCredentials.StoredHmacKey hmac(String account, String id, String key, String secret) {
        return new StoredCredentials.StoredHmacKey(id, key, masterKey.encrypt(secret.getBytes(StandardCharsets.UTF_8),
                AccountBook.hmacContext(account, id)), null);
    }

    private static StoredCredentials.StoredToken token(String token) {
        String hash = TokenHash.of(token);
        return new StoredCredentials.StoredToken(TokenHash.idOfStored(hash), hash, null);
    }

    /** Every scheme; the OAuth2 exchange against {@code issuer} if not {@code null}. */
    ServerAuth serverAuth(URI issuer) {
        SchemeAuthenticator authenticator = new SchemeAuthenticator(directory, clock, SchemeAuthenticator.Settings.defaults());
        SessionExchange exchange = null;
        if (issuer != null) {
            OidcSettings oidc = new OidcSettings(issuer, "tickwire", null, "sub", Duration.ofDays(30), Duration.ofSeconds(30), null);
            exchange = new SessionExchange(new AccessTokenValidator(oidc, clock), directory, oidc, clock);
        }
        return new ServerAuth(authenticator, directory, exchange, ServerAuth.Settings.defaults().withSchemes(List.of(Scheme.values())));
    }

    /** A Coinbase-style WebSocket JWT for the desk key, valid from now for {@code lifetimeSeconds}. */
    String jwt(long lifetimeSeconds) {
        long now = clock.epochMillis() / 1_000;
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\",\"nonce\":\"" + System.nanoTime() + "\"}";
        String claims = "{\"iss\":\"cdp\",\"sub\":\"" + KID + "\",\"nbf\":" + now + ",\"exp\":" + (now + lifetimeSeconds) + "}";
        String input = b64(header) + "." + b64(claims);
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(jwtKeys.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current one-time password of the secure account, {@code steps} steps from now. */
    String totp(int steps) {
        return Totp.codeAt(TOTP_SEED, clock.epochMillis() + steps * 30_000L);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
