package io.tickwire.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tickwire.auth.AuthResult;
import io.tickwire.auth.AuthResult.Reason;
import io.tickwire.auth.Credential;
import io.tickwire.auth.store.AccountBook;
import io.tickwire.model.Clock;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;

/**
 * Checks Coinbase-style JWTs: signed with the client's private key, ES256 (EC P-256) or EdDSA
 * (Ed25519), the public key registered under the key name the header's {@code kid} gives. Refused,
 * each with its own reason: {@code alg: none}, encrypted tokens and any other algorithm (HMAC, RSA —
 * so a public key can never be used as an HMAC secret) or one the key does not sign with; an
 * unknown {@code kid}; a bad signature; no {@code exp}; a lifetime ({@code exp} − {@code nbf} or
 * {@code iat}) over the maximum (2 minutes, as Coinbase issues them); expired or not yet valid
 * tokens (with a small leeway for clock skew); and tokens that carry a request method or path (a
 * {@code uri} claim: WebSocket JWTs have none) or a {@code sub} other than the key name. An
 * accepted token is valid until its {@code exp} plus the leeway: the moment it would be refused.
 *
 * <p>Thread-safe and non-blocking (keys are local).
 */
public final class JwtAuthenticator {

    /** The longest token accepted, in characters. */
    public static final int MAX_LENGTH = 8_192;

    private final Clock clock;
    private final long maxLifetimeMillis;
    private final long leewayMillis;

    /**
     * @param maxLifetime the longest {@code exp} − {@code nbf}/{@code iat} accepted
     * @param leeway      clock skew tolerated on {@code exp} and {@code nbf}
     */
    public JwtAuthenticator(Clock clock, Duration maxLifetime, Duration leeway) {
        this.clock = clock;
        this.maxLifetimeMillis = maxLifetime.toMillis();
        this.leewayMillis = leeway.toMillis();
    }

    /** Checks a token against the keys in {@code book}. */
    public AuthResult authenticate(AccountBook book, Credential.Jwt credential) {
        String text = credential.token();
        if (text == null || text.length() > MAX_LENGTH) {
            return fail(Reason.JWT_INVALID, "the JWT is missing or longer than " + MAX_LENGTH + " characters");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(text);
        } catch (ParseException e) {
            return fail(Reason.JWT_INVALID, "not a JWT: " + e.getMessage());
        }
        if (jwt instanceof PlainJWT) {
            return fail(Reason.JWT_ALG_NOT_ALLOWED, "unsigned JWTs (alg: none) are not accepted; sign with ES256 or EdDSA");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            return fail(Reason.JWT_ALG_NOT_ALLOWED, "encrypted JWTs are not accepted; sign with ES256 or EdDSA");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        String algorithm = alg.getName();
        if (algorithm.equals("Ed25519")) {
            algorithm = JwtKeys.EDDSA; // RFC 9864's fully specified name for the same thing
        }
        if (!algorithm.equals(JwtKeys.ES256) && !algorithm.equals(JwtKeys.EDDSA)) {
            return fail(Reason.JWT_ALG_NOT_ALLOWED, "algorithm " + alg.getName() + " is not accepted; sign with ES256 or EdDSA");
        }
        String kid = signed.getHeader().getKeyID();
        if (kid == null || kid.isEmpty()) {
            return fail(Reason.JWT_INVALID, "the JWT header has no kid (the key name)");
        }
        AccountBook.JwtKey key = book.jwtKey(kid);
        if (key == null) {
            return fail(Reason.JWT_UNKNOWN_KEY, "no key is registered under this kid");
        }
        if (!key.algorithm().equals(algorithm)) {
            return fail(Reason.JWT_ALG_NOT_ALLOWED, "the key registered under this kid signs with " + key.algorithm()
                    + ", not " + alg.getName());
        }
        if (!verify(signed, key)) {
            return fail(Reason.JWT_INVALID, "the JWT signature does not verify with the registered key");
        }
        return checkClaims(signed, key);
    }

    private static boolean verify(SignedJWT signed, AccountBook.JwtKey key) {
        try {
            if (key.algorithm().equals(JwtKeys.ES256)) {
                return signed.verify(new ECDSAVerifier((ECPublicKey) key.publicKey()));
            }
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key.publicKey());
            ed.update(signed.getSigningInput());
            return ed.verify(signed.getSignature().decode());
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private AuthResult checkClaims(SignedJWT signed, AccountBook.JwtKey key) {
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return fail(Reason.JWT_INVALID, "the JWT claims are not a JSON object");
        }
        if (claims.getClaim("uri") != null) {
            return fail(Reason.JWT_INVALID, "a WebSocket JWT carries no request method or path (uri claim)");
        }
        if (claims.getSubject() != null && !claims.getSubject().equals(key.kid())) {
            return fail(Reason.JWT_INVALID, "the sub claim must be the key name");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return fail(Reason.JWT_INVALID, "the JWT has no exp claim");
        }
        Date start = claims.getNotBeforeTime() != null ? claims.getNotBeforeTime() : claims.getIssueTime();
        if (start == null) {
            return fail(Reason.JWT_INVALID, "the JWT has neither an nbf nor an iat claim");
        }
        long lifetime = exp.getTime() - start.getTime();
        if (lifetime > maxLifetimeMillis) {
            return fail(Reason.JWT_LIFETIME_TOO_LONG, "the JWT is valid for " + lifetime / 1_000 + " s; at most "
                    + maxLifetimeMillis / 1_000 + " s is accepted");
        }
        long now = clock.epochMillis();
        if (now >= exp.getTime() + leewayMillis) {
            return fail(Reason.JWT_EXPIRED, "the JWT expired " + (now - exp.getTime()) / 1_000 + " s ago");
        }
        if (now < start.getTime() - leewayMillis) {
            return fail(Reason.JWT_NOT_YET_VALID, "the JWT is valid only from " + (start.getTime() - now) / 1_000 + " s from now");
        }
        // valid until exp plus the leeway, the same skew it was accepted with: a token accepted
        // within the leeway after its exp must not be answered 'authenticated' and then expire at once
        return new AuthResult.Success(key.account(), key.kid(), (exp.getTime() + leewayMillis) * 1_000);
    }

    private static AuthResult fail(Reason reason, String message) {
        return new AuthResult.Failure(reason, message);
    }
}
