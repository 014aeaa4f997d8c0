package io.tickwire.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credentials file that cannot be read says why, not just its path three times. */
class CredentialsFileProblemsTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatCannotBeReadSaysWhy() throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("creds.yaml"));
        assertThatThrownBy(() -> new CredentialsFile(notAFile).read())
                .hasMessage(notAFile + ": cannot be read: Is a directory");
        // the JDK's AccessDeniedException carries only the path (tests run as root cannot provoke it)
        String path = dir.resolve("creds.yaml").toString();
        assertThat(IoProblem.describe(new AccessDeniedException(path))).isEqualTo("permission denied");
    }

    @Test
    void onlyAnExplicitEmptyMapSaysThereAreNoCredentialsOnPurpose() throws Exception {
        Path file = dir.resolve("creds.yaml");
        CredentialsFile credentials = new CredentialsFile(file);
        assertThat(credentials.reread().emptyOnPurpose()).as("missing").isFalse();
        Files.writeString(file, "# only a comment\n\n");
        assertThat(credentials.reread().emptyOnPurpose()).as("comments only").isFalse();
        Files.writeString(file, "# header\naccounts:\n");
        assertThat(credentials.reread().emptyOnPurpose()).as("cut after the key").isFalse();
        Files.writeString(file, "# header\naccounts: {}\n");
        assertThat(credentials.reread().emptyOnPurpose()).isTrue();
        assertThat(credentials.reread().credentials().accounts()).isEmpty();
    }
}
