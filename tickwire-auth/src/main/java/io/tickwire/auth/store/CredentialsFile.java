package io.tickwire.auth.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;

/**
 * The credentials file ({@code auth.credentialsFile}): YAML written by {@code tickwire keys} and by
 * the server (OAuth2 session tokens, support e-mails), read by the server. Holds hashes, public keys
 * and encrypted secrets only.
 *
 * <p>Every update takes an exclusive lock on {@code FILE.lock}, re-reads the file, applies the
 * change and replaces the file atomically (write to a temporary file, then rename), so concurrent
 * writers in different processes never lose each other's changes and a reader never sees half a
 * file. A missing file reads as empty (but see {@link #reread()}). New files are created readable
 * by the owner only. Thread-safe.
 */
public final class CredentialsFile implements CredentialStore {

    private static final String HEADER = """
            # Tickwire credentials: managed by 'tickwire keys' and by the server (OAuth2 session tokens,
            # support e-mails). Only hashes, public keys and secrets encrypted with $TICKWIRE_MASTER_KEY
            # are stored here. The server reloads this file when it changes.
            """;

    /** One lock per file within this JVM: two {@link FileLock}s on one file in one JVM are not allowed. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Object> IN_PROCESS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public CredentialsFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The file's path. */
    public Path path() {
        return file;
    }

    @Override
    public StoredCredentials read() {
        return reread().credentials();
    }

    /**
     * Reads the file. Only {@code accounts: {}} (what Tickwire writes when the last credential
     * goes) says on purpose that there are none; a missing file, one that is empty or holds only
     * comments, or an {@code accounts:} without a value (a file cut short) holds none without
     * saying so.
     */
    @Override
    public Reading reread() {
        if (!Files.exists(file)) {
            return new Reading(StoredCredentials.EMPTY, false);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + IoProblem.describe(e), e);
        }
        if (text.isBlank() || text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
            return new Reading(StoredCredentials.EMPTY, false);
        }
        try {
            JsonNode tree = yaml.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new Reading(StoredCredentials.EMPTY, false);
            }
            StoredCredentials read = yaml.treeToValue(tree, StoredCredentials.class);
            boolean saysEmpty = tree.get("accounts") instanceof ObjectNode accounts && accounts.isEmpty();
            return new Reading(read == null ? StoredCredentials.EMPTY : read, saysEmpty);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() != null && e.getLocation().getLineNr() > 0
                    ? " (line " + e.getLocation().getLineNr() + ")" : "";
            throw new IllegalArgumentException(file + ": not valid credentials YAML" + at + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public StoredCredentials update(UnaryOperator<StoredCredentials> change) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        synchronized (IN_PROCESS.computeIfAbsent(file, k -> new Object())) {
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = channel.lock()) {
                    StoredCredentials changed = change.apply(read());
                    write(changed);
                    return changed;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update " + file + ": " + IoProblem.describe(e), e);
            }
        }
    }

    private void write(StoredCredentials credentials) throws IOException {
        String text = HEADER + (credentials.accounts().isEmpty() ? "accounts: {}\n" : yaml.writeValueAsString(credentials));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
