package dev.kafkaprimer.examples.wallet;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/** The wallet's real databases for tests: a SQLite file, and PostgreSQL where {@value #POSTGRES_ENV} is set. */
final class TestDatabases {

    /** Set by {@code .ci/postgres.sh}; see the README on how to start one yourself. */
    static final String POSTGRES_ENV = "KAFKA_PRIMER_POSTGRES_URL";

    private TestDatabases() {
    }

    static String sqlite(Path dir) {
        return dir.resolve("wallet-test.db").toString();
    }

    /** The PostgreSQL URL, or the test is skipped with the reason. */
    static String postgres() {
        String url = System.getenv(POSTGRES_ENV);
        assumeTrue(url != null && !url.isBlank(), "skipped: " + POSTGRES_ENV
                + " is not set, so no PostgreSQL to test against (.ci/run starts one with .ci/postgres.sh)");
        return url;
    }

    static String named(String name, Path dir) {
        return name.equals("postgres") ? postgres() : sqlite(dir);
    }
}
