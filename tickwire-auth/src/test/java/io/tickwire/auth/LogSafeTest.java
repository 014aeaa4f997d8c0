package io.tickwire.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void aValueCannotStartALineOfItsOwnNorHideText() {
        assertThat(LogSafe.of("desk\n12:00:00.000 INFO  AuthGate - authentication succeeded"))
                .isEqualTo("desk\\n12:00:00.000 INFO  AuthGate - authentication succeeded");
        assertThat(LogSafe.of("a\r\tb\u0000c\u001bd\u007fe\u0085f\u2028g\u2029h"))
                .isEqualTo("a\\r\\tb\\u0000c\\u001bd\\u007fe\\u0085f\\u2028g\\u2029h");
        assertThat(LogSafe.of("id\u202Egpj.exe")).as("a bidirectional override").isEqualTo("id\\u202egpj.exe");
        assertThat(LogSafe.of("x\\ny")).as("a backslash is doubled, so an escape cannot be faked").isEqualTo("x\\\\ny");
        assertThat(LogSafe.of("lone \uD800 surrogate")).isEqualTo("lone \\ud800 surrogate");
        assertThat(LogSafe.of("ümlaut, 漢字, \uD83D\uDCC8")).as("printable text stays as it is").isEqualTo("ümlaut, 漢字, \uD83D\uDCC8");
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }

    @Test
    void aLongValueIsCutSayingHowMuchWasLeftOut() {
        String safe = LogSafe.of("w".repeat(65_536));
        assertThat(safe).startsWith("w".repeat(LogSafe.MAX_CHARS) + "…").endsWith("(65440 more chars)");
        assertThat(safe.length()).isLessThan(LogSafe.MAX_CHARS + 24);
        assertThat(LogSafe.of("\n".repeat(1_000)).length()).as("escapes do not multiply the room much").isLessThan(2 * LogSafe.MAX_CHARS + 24);
        assertThat(LogSafe.of("abcdef", 3)).isEqualTo("abc…(3 more chars)");
    }

    @Test
    void anHmacLoginShowsItsIdOnlyEscapedAndNeverItsSignature() {
        Credential.HmacSignature login = new Credential.HmacSignature("id\nFORGED", "key", "1\r2", "c2lnbmF0dXJl");
        assertThat(login.toString()).doesNotContain("\n", "\r", "c2lnbmF0dXJl").contains("id\\nFORGED", "1\\r2");
    }
}
