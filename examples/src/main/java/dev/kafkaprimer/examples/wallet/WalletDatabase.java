package dev.kafkaprimer.examples.wallet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;

import dev.kafkaprimer.examples.cli.ExampleFailedException;
import dev.kafkaprimer.examples.cli.UsageException;

/**
 * Checks the wallet's {@code --db} before a broker starts: that it names a database the wallet can use (an SQLite
 * file in a folder that exists, or a {@code jdbc:postgresql:} URL), and that the database opens. A mistake is one
 * line naming the value instead of a driver's stack trace after the topic was made.
 *
 * <p>Thread-safe (stateless).
 */
final class WalletDatabase {

    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final String SQLITE_URL = "jdbc:sqlite:";
    private static final String POSTGRES_URL = "jdbc:postgresql:";

    private WalletDatabase() {
    }

    /**
     * The rule of option {@code option}: an SQLite file (or {@code jdbc:sqlite:} URL) whose folder exists and
     * which, if it exists already, is an SQLite database; or a {@code jdbc:postgresql:} URL.
     *
     * @throws UsageException naming the value and what to give instead
     */
    static void checkName(String option, String db) {
        if (db.isBlank()) {
            throw new UsageException(option + " must name an SQLite file or a jdbc:postgresql: URL, was empty");
        }
        if (db.startsWith(POSTGRES_URL)) {
            return;
        }
        if (db.startsWith("jdbc:") && !db.startsWith(SQLITE_URL)) {
            throw new UsageException(option + " takes an SQLite file or a jdbc:postgresql://host:port/db?user=… URL;"
                    + " the wallet has no driver for '" + db + "'");
        }
        String file = db.startsWith(SQLITE_URL) ? db.substring(SQLITE_URL.length()) : db;
        if (file.isEmpty() || file.startsWith(":memory:")) {
            throw new UsageException(option + " needs a file the wallet's processes can share, was '" + db + "'");
        }
        Path path = Path.of(file).toAbsolutePath();
        Path folder = path.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException(option + " '" + db + "': the folder " + folder + " does not exist; create it or"
                    + " name a file in a folder that does");
        }
        if (Files.isDirectory(path)) {
            throw new UsageException(option + " '" + db + "' is a folder; name a file (e.g. " + path.resolve("wallet.db")
                    + ")");
        }
        if (Files.exists(path) && !isSqliteOrEmpty(path)) {
            throw new UsageException(option + " '" + db + "' exists and is not an SQLite database; name another file"
                    + " (the wallet creates it)");
        }
    }

    /**
     * Opens and closes the database once.
     *
     * @throws ExampleFailedException naming the URL and the driver's reason, if it cannot be opened
     */
    static void checkOpens(String db) {
        try (WalletStore store = WalletStore.open(db)) {
            // opened: the run can start
        } catch (SQLException e) {
            throw new ExampleFailedException("could not open the database " + WalletStore.jdbcUrl(db) + ": "
                    + sentence(e.getMessage()) + " Is it running, and are the host, port, user and password"
                    + " right?", e);
        }
    }

    /** The driver's message as one sentence ending in a full stop. */
    private static String sentence(String message) {
        String line = message == null ? "no reason given" : message.replace('\n', ' ').trim();
        return line.endsWith(".") ? line : line + ".";
    }

    private static boolean isSqliteOrEmpty(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] start = in.readNBytes(SQLITE_HEADER.length);
            return start.length == 0 || Arrays.equals(start, SQLITE_HEADER);
        } catch (IOException e) {
            throw new UsageException("--db '" + path + "' cannot be read: " + e.getMessage());
        }
    }
}
