package io.tickwire.cli.app;

import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads accounts without a restart: watches the configuration file and the credentials file
 * (by content, every {@code auth.reloadInterval}) and, when either changed, rebuilds the account
 * directory from them. Only {@code plans}, {@code accounts} and the credentials take effect; other
 * changes need a restart (and are said so in the log). A file that does not load is logged and the
 * accounts in force stay; so is one that would take away every account or every stored credential
 * without saying so ({@code accounts: []} in the configuration, {@code accounts: {}} in the
 * credentials file), as a file cut short or emptied would. Live sessions whose credential disappeared are closed by the server.
 *
 * <p>One daemon thread; {@link #reloadNow()} may be called from any thread.
 */
final class AccountsReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsReloader.class);

    private final AccountDirectory directory;
    private final Path configFile;
    private final Path credentialsFile;
    private final Map<String, String> env;
    private final ScheduledExecutorService timer;
    private byte[] configPrint;
    private byte[] credentialsPrint;

    AccountsReloader(AccountDirectory directory, Path configFile, Path credentialsFile, Map<String, String> env,
                     Duration interval) {
        this.directory = directory;
        this.configFile = configFile;
        this.credentialsFile = credentialsFile;
        this.env = env;
        this.configPrint = fingerprint(configFile);
        this.credentialsPrint = fingerprint(credentialsFile);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickwire-accounts-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("reloading accounts failed, the accounts in force stay: {}", e.getMessage());
        }
    }

    /** What the timer does, now. */
    void checkQuietlyNow() {
        checkQuietly();
    }

    /** Reloads if either file changed since the last look. */
    synchronized boolean check() {
        byte[] config = fingerprint(configFile);
        byte[] credentials = fingerprint(credentialsFile);
        boolean configChanged = !Arrays.equals(config, configPrint);
        if (!configChanged && Arrays.equals(credentials, credentialsPrint)) {
            return false;
        }
        try {
            reload(configChanged);
        } finally {
            configPrint = config;
            credentialsPrint = credentials;
        }
        return true;
    }

    /** Reloads both files now. */
    synchronized void reloadNow() {
        reload(true);
        configPrint = fingerprint(configFile);
        credentialsPrint = fingerprint(credentialsFile);
    }

    /** The accounts and plans of the configuration file; refuses one that lost its accounts by accident. */
    private AccountDirectory.Configured configured() {
        ConfigLoader loader = new ConfigLoader();
        TickwireConfig config = loader.load(configFile, env);
        AccountDirectory.Configured configured = ConfiguredAccounts.configured(config);
        // a file cut short can still be valid YAML without its accounts: taking that as "no
        // accounts" would close every session, so only an explicit 'accounts: []' does it
        if (configured.accounts().isEmpty() && !directory.configuredAccounts().isEmpty()
                && !loader.setsKey(configFile, "accounts")) {
            throw new IllegalArgumentException(configFile + " names no accounts while "
                    + directory.configuredAccounts().size() + " are in force: refused (write 'accounts: []'"
                    + " to remove them all)");
        }
        return configured;
    }

    private void reload(boolean withConfig) {
        AccountDirectory.Configured configured = null;
        if (withConfig && configFile != null) {
            try {
                configured = configured();
            } catch (RuntimeException e) {
                // the configuration is refused, but a credentials change beside it (a revocation) must
                // not wait for the next edit of either file: apply the credentials file alone
                try {
                    directory.reload(null);
                } catch (RuntimeException credentials) {
                    e.addSuppressed(credentials);
                }
                throw e;
            }
        }
        directory.reload(configured);
        if (configured != null) {
            LOG.info("{} changed: plans and accounts reloaded (other settings take effect on restart)", configFile);
        }
    }

    private static byte[] fingerprint(Path file) {
        if (file == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            return new byte[] {1};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
