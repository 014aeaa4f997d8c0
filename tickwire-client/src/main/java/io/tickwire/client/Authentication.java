package io.tickwire.client;

import io.tickwire.model.Clock;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.v1.CommandWriter;
import io.tickwire.protocol.v1.ServerMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client's side of every authentication scheme: what to do before a connection (the OAuth2
 * exchange), which headers the handshake carries, the login message, the answer to a two-factor
 * request (resume a verified second factor, else a fresh code), a JWT for each subscribe, and the
 * in-session renewal of credentials that expire. Holds the session token and the two-factor grant
 * across reconnects.
 *
 * <p>Confined to the client's event loop, except that {@link #prepare} and {@link #renewal}
 * complete on the exchange's thread.
 */
final class Authentication implements AutoCloseable {

    private final Credentials first;
    private final Supplier<String> oneTimePasswords;
    private final Clock clock;
    private final SessionTokenExchange exchange;
    private final Duration timeout;
    private volatile SessionTokenExchange.SessionToken session;
    private ServerMessage.TwoFactorGrant grant;
    private boolean resumed;

    Authentication(Credentials credentials, Clock clock, Duration timeout) {
        if (credentials instanceof TwoFactorCredentials two) {
            this.first = two.first();
            this.oneTimePasswords = two.oneTimePasswords();
        } else {
            this.first = credentials;
            this.oneTimePasswords = null;
        }
        this.clock = clock;
        this.timeout = timeout;
        this.exchange = first instanceof OAuth2Credentials o ? new SessionTokenExchange(o, timeout) : null;
    }

    /** Whether the credential expires and is renewed in the session. */
    boolean renews() {
        return first instanceof JwtCredentials || first instanceof OAuth2Credentials;
    }

    /** Work before a connection: exchanges an access token unless a valid session token is held. */
    CompletableFuture<Void> prepare() {
        if (exchange == null) {
            return CompletableFuture.completedFuture(null);
        }
        SessionTokenExchange.SessionToken held = session;
        if (held != null && held.expiresAtMicros() > clock.epochMicros() + 60_000_000L) {
            return CompletableFuture.completedFuture(null);
        }
        return exchange.exchange(timeout).thenAccept(token -> session = token);
    }

    /** Headers the handshake carries (the OAuth2 session token). */
    Map<String, String> handshakeHeaders() {
        SessionTokenExchange.SessionToken held = session;
        if (first instanceof OAuth2Credentials o && held != null) {
            return Map.of(o.sessionHeader(), held.token());
        }
        return Map.of();
    }

    /** The login message after the welcome. */
    String login(String id) {
        resumed = false;
        return switch (first) {
            case TokenCredentials t -> CommandWriter.auth(id, t.token());
            case HmacCredentials h -> {
                long now = clock.epochMillis();
                yield CommandWriter.authHmac(id, h.webApiId(), h.webApiKey(), now,
                        HmacSigner.sign(now, h.webApiId(), h.webApiKey(), h.secret()));
            }
            case JwtCredentials j -> CommandWriter.authJwt(id, JwtSigner.mint(j, clock.epochMillis()));
            case OAuth2Credentials o -> CommandWriter.authSession(id, session == null ? "" : session.token());
            case TwoFactorCredentials t -> throw new IllegalStateException("nested second factor");
        };
    }

    /** The answer to {@code twoFactorRequired}, or {@code null} if these credentials have no second factor. */
    String secondFactor(String id) {
        if (oneTimePasswords == null) {
            return null;
        }
        if (grant != null && !resumed && grant.expiresAt() > clock.epochMicros()) {
            resumed = true;
            return CommandWriter.twoFactorResume(id, grant.resumeToken());
        }
        grant = null;
        return CommandWriter.twoFactor(id, oneTimePasswords.get());
    }

    /** A JWT to send with a request, or {@code null} for other schemes. */
    String requestJwt() {
        return first instanceof JwtCredentials j ? JwtSigner.mint(j, clock.epochMillis()) : null;
    }

    /** Remembers what a successful authentication granted. */
    void authenticated(ServerMessage.Authenticated a) {
        if (a.twoFactor() != null) {
            grant = a.twoFactor();
        }
    }

    /**
     * What a refusal means for the held credentials: an expired session token is exchanged again
     * next time; a resume that failed falls back to a code.
     *
     * @return whether a new attempt may succeed where this one failed
     */
    boolean refused(ErrorCode code) {
        if (code == null) {
            return false;
        }
        return switch (code) {
            case CREDENTIAL_EXPIRED -> {
                session = null;
                yield true;
            }
            case AUTH_FAILED -> {
                if (exchange != null && session != null) {
                    session = null; // a revoked or unknown session token: exchange again once
                    yield true;
                }
                yield false;
            }
            case RESUME_INVALID -> {
                grant = null;
                yield true;
            }
            case TOO_MANY_FAILURES, SIGNATURE_REPLAYED, TOTP_REUSED, SERVER_BUSY, AUTH_TIMEOUT -> true;
            default -> false;
        };
    }

    /** An in-session renewal: a fresh JWT, or a newly exchanged session token; {@code null} when nothing expires. */
    CompletableFuture<String> renewal(String id) {
        return switch (first) {
            case JwtCredentials j -> CompletableFuture.completedFuture(CommandWriter.authJwt(id, JwtSigner.mint(j, clock.epochMillis())));
            case OAuth2Credentials o -> exchange.exchange(timeout).thenApply(token -> {
                session = token;
                return CommandWriter.authSession(id, token.token());
            });
            default -> null;
        };
    }

    @Override
    public void close() {
        if (exchange != null) {
            exchange.close();
        }
    }
}
