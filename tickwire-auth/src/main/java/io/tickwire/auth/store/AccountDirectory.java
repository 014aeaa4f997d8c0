package io.tickwire.auth.store;

import io.tickwire.auth.Account;
import io.tickwire.auth.token.TokenHash;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live set of accounts and credentials: the configured accounts merged with the credential
 * store, as an {@link AccountBook} that is swapped whole on every change (a reload of the
 * configuration or the credentials file, a session token issued, an e-mail registered), so readers
 * never see half a change. Listeners hear of every swap (the server re-checks live sessions for
 * revoked credentials).
 *
 * <p>Thread-safe: {@link #get()} is a volatile read; changes are serialised.
 */
public final class AccountDirectory implements Supplier<AccountBook> {

    private static final Logger LOG = LoggerFactory.getLogger(AccountDirectory.class);

    /**
     * The most OAuth2 session tokens an account holds at once: enough for every desk and service of
     * one client, each reconnecting with its own; the 21st exchange revokes the oldest.
     */
    public static final int MAX_SESSIONS_PER_ACCOUNT = 20;

    /**
     * What the main configuration says about accounts.
     *
     * @param accounts      accounts by name, with their plans
     * @param oauthSubjects per account, OAuth2 subjects (client ids) that map to it
     * @param credentials   credentials written in the configuration itself (hashes and encrypted secrets)
     */
    public record Configured(Map<String, Account> accounts, Map<String, List<String>> oauthSubjects,
                             StoredCredentials credentials) {
        public Configured {
            accounts = Map.copyOf(accounts);
            oauthSubjects = Map.copyOf(oauthSubjects);
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    private final CredentialStore store;
    private final MasterKey masterKey;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Configured configured;
    /** What the store held at the last read or write: what a reload would take away. */
    private StoredCredentials stored;
    private volatile AccountBook book;

    /**
     * Builds the first book at once.
     *
     * @throws IllegalArgumentException if a credential cannot be used (see {@link AccountBook#build})
     */
    public AccountDirectory(Configured configured, CredentialStore store, MasterKey masterKey) {
        this.store = store;
        this.masterKey = masterKey;
        this.configured = configured;
        this.stored = store.read();
        this.book = build(configured, stored);
    }

    /** A directory of fixed accounts with credentials in memory only. */
    public static AccountDirectory inMemory(Map<String, Account> accounts, StoredCredentials credentials, MasterKey key) {
        return new AccountDirectory(new Configured(accounts, Map.of(), StoredCredentials.EMPTY),
                CredentialStore.inMemory(credentials), key);
    }

    private AccountBook build(Configured c, StoredCredentials stored) {
        return AccountBook.build(c.accounts(), c.oauthSubjects(), c.credentials().merge(stored), masterKey);
    }

    @Override
    public AccountBook get() {
        return book;
    }

    /** The store that holds credentials besides the configuration. */
    public CredentialStore store() {
        return store;
    }

    /** Calls {@code listener} after every change of the book (on the changing thread). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Re-reads the credential store (and takes a new configuration if given).
     *
     * <p>A reload that would take away every stored credential while some are in force is refused
     * unless the store says so on purpose (see {@link CredentialStore#reread()}): a credentials file
     * cut short, emptied or deleted would otherwise revoke every session at once. To remove them
     * all, write {@code accounts: {}}.
     *
     * @throws IllegalArgumentException if the new credentials cannot be used or the reload is
     *                                  refused; the old book stays
     */
    public void reload(Configured newConfiguration) {
        synchronized (this) {
            Configured c = newConfiguration == null ? configured : newConfiguration;
            CredentialStore.Reading read = store.reread();
            if (read.credentials().accounts().isEmpty() && !read.emptyOnPurpose() && !stored.accounts().isEmpty()) {
                throw new IllegalArgumentException("the credentials file holds no credentials (missing, empty, only "
                        + "comments, or cut short) while " + stored.accounts().size() + " account(s) have some: "
                        + "refused; to remove every credential write 'accounts: {}'");
            }
            book = build(c, read.credentials());
            configured = c;
            stored = read.credentials();
        }
        LOG.info("accounts and credentials reloaded: {} account(s)", book.accounts().size());
        listeners.forEach(Runnable::run);
    }

    /** The accounts the configuration in force names (without the credential store's). */
    public Map<String, Account> configuredAccounts() {
        synchronized (this) {
            return configured.accounts();
        }
    }

    /**
     * Issues a session token for an account and stores its hash. The account's stored session
     * tokens that have expired by {@code created} are dropped, and past
     * {@link #MAX_SESSIONS_PER_ACCOUNT} the oldest too: revoked, so the sessions that use it are
     * closed (the listeners re-check). One access token exchanged again and again thus costs at
     * most that many entries, in memory and in the credentials file.
     *
     * @return the token, to be given to the client once
     */
    public String issueSession(Account account, String subject, String userId, Instant created, Instant expires) {
        String token = "tws_" + TokenHash.newToken().substring(3);
        String hash = TokenHash.of(token);
        String id = "ses-" + TokenHash.idOfStored(hash).substring(4);
        int[] dropped = {0};
        change(s -> s.with(account.name(), c -> {
            StoredCredentials.AccountCredentials changed = c.withSession(new StoredCredentials.StoredSession(id, hash,
                    userId, subject, created.toString(), expires.toString()), created, MAX_SESSIONS_PER_ACCOUNT);
            dropped[0] = c.sessions().size() + 1 - changed.sessions().size();
            return changed;
        }));
        if (dropped[0] > 0) {
            LOG.info("account {}: {} expired or oldest session token(s) dropped (at most {} live)", account.name(),
                    dropped[0], MAX_SESSIONS_PER_ACCOUNT);
        }
        return token;
    }

    /** Stores an account's support e-mail. */
    public void registerEmail(String account, String email) {
        change(s -> s.with(account, c -> c.withSupportEmail(email)));
    }

    private void change(java.util.function.UnaryOperator<StoredCredentials> change) {
        synchronized (this) {
            StoredCredentials inForce = stored;
            StoredCredentials written = store.update(onFile -> {
                // a file cut short reads as no credentials: a reload refuses it (see reload), and a
                // change must not write that emptiness back either, so it applies to those in force
                // (which also repairs the file)
                if (onFile.accounts().isEmpty() && !inForce.accounts().isEmpty() && !store.reread().emptyOnPurpose()) {
                    LOG.warn("the credentials file holds no credentials but does not say so ('accounts: {}'): "
                            + "writing the {} account(s) in force back with this change", inForce.accounts().size());
                    return change.apply(inForce);
                }
                return change.apply(onFile);
            });
            book = build(configured, written);
            stored = written;
        }
        listeners.forEach(Runnable::run);
    }
}
