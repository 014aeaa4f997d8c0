package io.tickwire.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.auth.TestAccounts;
import io.tickwire.auth.token.TokenHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStorageTest {

    @TempDir
    Path dir;

    @Test
    void masterKeyEncryptionIsBoundToItsKeyAndPlace() {
        MasterKey key = TestAccounts.MASTER_KEY;
        String sealed = key.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), "tickwire:hmac:alice:id");
        assertThat(sealed).startsWith("enc:v1:").doesNotContain("s3cret");
        assertThat(new String(key.decrypt(sealed, "tickwire:hmac:alice:id"), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThatThrownBy(() -> key.decrypt(sealed, "tickwire:hmac:bob:id")).hasMessageContaining("cannot decrypt");
        assertThatThrownBy(() -> MasterKey.parse(MasterKey.generate()).decrypt(sealed, "tickwire:hmac:alice:id"))
                .hasMessageContaining("TICKWIRE_MASTER_KEY");
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> key.decrypt(tampered, "tickwire:hmac:alice:id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MasterKey.parse("c2hvcnQ=")).hasMessageContaining("32 bytes");
        String raw = MasterKey.generate();
        assertThat(MasterKey.parse(raw).toString()).doesNotContain(raw.substring(0, 8)).contains("redacted");
    }

    @Test
    void fileRoundTripsOwnerOnlyAndConcurrentWritersLoseNothing() throws Exception {
        Path file = dir.resolve("credentials.yaml");
        CredentialsFile store = new CredentialsFile(file);
        assertThat(store.read()).isEqualTo(StoredCredentials.EMPTY);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String hash = TokenHash.of("token-" + i);
            // two stores on one file, as the server and the CLI are
            CredentialsFile writer = i % 2 == 0 ? store : new CredentialsFile(file);
            writes.add(pool.submit(() -> writer.update(s -> s.with("alice", c -> c.withToken(
                    new StoredCredentials.StoredToken(TokenHash.idOfStored(hash), hash, "2024-11-15T12:00:00Z"))))));
        }
        for (Future<?> w : writes) {
            w.get();
        }
        pool.shutdown();
        assertThat(store.read().of("alice").tokens()).hasSize(40);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).startsWith("# Tickwire credentials").doesNotContain("token-1");
        store.update(s -> s.with("alice", c -> c.without(TokenHash.idOfStored(TokenHash.of("token-3")))));
        assertThat(new CredentialsFile(file).read().of("alice").tokens()).hasSize(39);
    }

    @Test
    void bookRefusesUnusableCredentialsNamingThem() {
        StoredCredentials badHash = StoredCredentials.EMPTY.with("alice", c -> c.withToken(
                new StoredCredentials.StoredToken("tok-x", "md5:abc", null)));
        assertThatThrownBy(() -> TestAccounts.book(badHash)).hasMessageContaining("account alice").hasMessageContaining("sha256");
        StoredCredentials clearSecret = StoredCredentials.EMPTY.with("alice", c -> c.withHmac(
                new StoredCredentials.StoredHmacKey("id", "key", "plain-secret", null)));
        assertThatThrownBy(() -> TestAccounts.book(clearSecret)).hasMessageContaining("hmac id").hasMessageContaining("encrypted");
        StoredCredentials encrypted = StoredCredentials.EMPTY.with("alice", c -> c.withHmac(new StoredCredentials.StoredHmacKey(
                "id", "key", TestAccounts.MASTER_KEY.encrypt(new byte[] {1}, AccountBook.hmacContext("alice", "id")), null)));
        assertThatThrownBy(() -> AccountBook.build(Map.of("alice", TestAccounts.ALICE), Map.of(), encrypted, null))
                .hasMessageContaining("TICKWIRE_MASTER_KEY is not set");
        assertThat(AccountBook.build(Map.of(), Map.of(), badHash, null).accounts())
                .as("credentials of an unknown account are skipped").isEmpty();
    }

    @Test
    void directoryIssuesSessionsThatTheBookHoldsUntilRevoked() {
        AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(
                Map.of("alice", TestAccounts.ALICE), Map.of(), StoredCredentials.EMPTY),
                new CredentialsFile(dir.resolve("c.yaml")), TestAccounts.MASTER_KEY);
        int[] changes = {0};
        directory.onChange(() -> changes[0]++);
        String token = directory.issueSession(TestAccounts.ALICE, "client", "sid:1", java.time.Instant.EPOCH,
                java.time.Instant.parse("2030-01-01T00:00:00Z"));
        AccountBook.SessionGrant grant = directory.get().session(TokenHash.digest(token));
        assertThat(grant.account()).isEqualTo(TestAccounts.ALICE);
        assertThat(directory.get().holds("alice", grant.id())).isTrue();
        directory.store().update(s -> s.with("alice", c -> c.without(grant.id())));
        directory.reload(null);
        assertThat(directory.get().session(TokenHash.digest(token))).isNull();
        assertThat(directory.get().holds("alice", grant.id())).isFalse();
        directory.registerEmail("alice", "ops@example.com");
        assertThat(new CredentialsFile(dir.resolve("c.yaml")).read().of("alice").supportEmail()).isEqualTo("ops@example.com");
        assertThat(changes[0]).isEqualTo(3);
    }

    @Test
    void anAccountKeepsAtMostTwentySessionTokensTheOldestAndTheExpiredDroppedOnIssue() {
        AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(
                Map.of("alice", TestAccounts.ALICE, "bob", TestAccounts.BOB), Map.of(), StoredCredentials.EMPTY),
                new CredentialsFile(dir.resolve("c.yaml")), TestAccounts.MASTER_KEY);
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        java.time.Duration lifetime = java.time.Duration.ofDays(30);
        String bobs = directory.issueSession(TestAccounts.BOB, "bob-client", "sid:b", t0, t0.plus(lifetime));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 25; i++) { // one access token exchanged over and over
            java.time.Instant now = t0.plusSeconds(i);
            tokens.add(directory.issueSession(TestAccounts.ALICE, "alice-client", "sid:a", now, now.plus(lifetime)));
        }
        assertThat(AccountDirectory.MAX_SESSIONS_PER_ACCOUNT).isEqualTo(20);
        assertThat(new CredentialsFile(dir.resolve("c.yaml")).read().of("alice").sessions()).hasSize(20);
        assertThat(tokens.subList(0, 5)).as("the oldest are revoked").allSatisfy(t ->
                assertThat(directory.get().session(TokenHash.digest(t))).isNull());
        assertThat(tokens.subList(5, 25)).allSatisfy(t ->
                assertThat(directory.get().session(TokenHash.digest(t))).isNotNull());
        assertThat(directory.get().session(TokenHash.digest(bobs))).as("other accounts keep theirs").isNotNull();

        java.time.Instant later = t0.plus(lifetime).plusSeconds(16); // 12 of alice's 20 have expired by now
        String fresh = directory.issueSession(TestAccounts.ALICE, "alice-client", "sid:a", later, later.plus(lifetime));
        List<StoredCredentials.StoredSession> stored = new CredentialsFile(dir.resolve("c.yaml")).read().of("alice").sessions();
        assertThat(stored).as("expired ones are pruned when issuing").hasSize(20 - 12 + 1)
                .allSatisfy(session -> assertThat(session.expiredAt(later)).isFalse());
        assertThat(directory.get().session(TokenHash.digest(fresh))).isNotNull();
    }

    @Test
    void aChangeWhileTheFileIsCutShortKeepsTheCredentialsInForceAndRepairsTheFile() throws Exception {
        Path file = dir.resolve("c.yaml");
        AccountDirectory directory = new AccountDirectory(new AccountDirectory.Configured(
                Map.of("alice", TestAccounts.ALICE), Map.of(), StoredCredentials.EMPTY),
                new CredentialsFile(file), TestAccounts.MASTER_KEY);
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        String token = directory.issueSession(TestAccounts.ALICE, "client", "sid:1", t0, t0.plusSeconds(86_400));
        String text = java.nio.file.Files.readString(file);
        java.nio.file.Files.writeString(file, text.substring(0, text.indexOf("accounts:"))); // only the comment header left

        directory.registerEmail("alice", "ops@example.com"); // a change before anyone repaired the file

        assertThat(directory.get().session(TokenHash.digest(token))).as("still in force").isNotNull();
        StoredCredentials onFile = new CredentialsFile(file).read();
        assertThat(onFile.of("alice").sessions()).as("written back").hasSize(1);
        assertThat(onFile.of("alice").supportEmail()).isEqualTo("ops@example.com");
    }
}
