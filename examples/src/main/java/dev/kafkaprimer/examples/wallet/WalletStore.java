package dev.kafkaprimer.examples.wallet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The wallet's database: SQLite (a file) or PostgreSQL, through plain JDBC.
 *
 * <p>Tables: {@code balances(user_id TEXT PRIMARY KEY, balance BIGINT NOT NULL)}, exactly;
 * {@code wallet_applied_events(event_id, user_id, seq, outcome)}, the ids of events already applied, which is
 * what makes a redelivered event harmless; {@code wallet_users(user_id, last_seq, out_of_order)}, which
 * counts events applied after a later event of the same user: the order mistakes keys prevent;
 * {@code wallet_redeliveries(event_id)}, one row per delivery of an event applied before; and
 * {@code wallet_notified(event_id)}, the ids a notifier accepted, used when several processes each run one
 * ({@code --role consume}) and must remember the idempotency keys together, as one real third party would.
 *
 * <p>{@link #apply} does everything for one event in one transaction: record the event id (or find it is
 * already there: a redelivery, skipped), read the balance, add or subtract or decline, write the balance.
 * If the process dies before the commit, none of it happened and Kafka delivers the event again; after the
 * commit, the id makes the second delivery a no-op. That is how at-least-once delivery becomes
 * exactly-once effect.
 *
 * <p>{@link #applyAll} does the same for a list of events in <em>one</em> transaction: one commit instead of one
 * per event (on PostgreSQL, one wait for its write-ahead log to reach the disk), and all of the events or none.
 *
 * <p>Not thread-safe: one instance (one connection) per consumer thread.
 */
final class WalletStore implements AutoCloseable {

    /** Every table of the wallet; {@link #prepare} empties them all for a fresh run. */
    private static final List<String> TABLES = List.of("balances", "wallet_applied_events", "wallet_users",
            "wallet_redeliveries", "wallet_notified");

    /** What applying one event did. */
    enum Outcome {
        APPLIED,
        DECLINED
    }

    /**
     * @param outcome     the event's outcome, now or when it was first applied
     * @param redelivered true if the event had been applied before (this delivery changed nothing)
     */
    record Result(Outcome outcome, boolean redelivered) {
    }

    private final Connection connection;
    private final boolean postgres;
    /**
     * The statements this connection runs, each prepared once: preparing is parsing and planning, which on
     * SQLite costs about as much as running one of these small statements.
     */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    private WalletStore(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
    }

    /**
     * Opens {@code db}: a {@code jdbc:postgresql://…} URL, a {@code jdbc:sqlite:…} URL, or a file name for
     * SQLite (e.g. {@code wallet.db}).
     *
     * @throws SQLException if the database cannot be opened
     */
    static WalletStore open(String db) throws SQLException {
        String url = jdbcUrl(db);
        if (url.startsWith("jdbc:postgresql:")) {
            return new WalletStore(withoutAutoCommit(DriverManager.getConnection(url)), true);
        }
        Properties sqlite = new Properties();
        // Several consumer threads (and, with --crash-consumer, a second process) write the same file:
        // WAL lets readers and one writer work together, and busy_timeout waits for the write lock instead of
        // failing. Each transaction in applyAll() starts with a write (a user's row), so it takes the write lock
        // at its first statement and never has to upgrade a read lock (the classic SQLite deadlock).
        sqlite.setProperty("journal_mode", "WAL");
        sqlite.setProperty("busy_timeout", "30000");
        sqlite.setProperty("synchronous", "NORMAL");
        // The driver's default runs "SELECT last_insert_rowid()" (parsed anew each time) after every INSERT, so
        // that getGeneratedKeys() could answer; the wallet never asks, and that second statement cost about as
        // much as the insert itself.
        sqlite.setProperty("jdbc.get_generated_keys", "false");
        return new WalletStore(withoutAutoCommit(DriverManager.getConnection(url, sqlite)), false);
    }

    static String jdbcUrl(String db) {
        return db.startsWith("jdbc:") ? db : "jdbc:sqlite:" + db;
    }

    /** Creates the tables if missing; with {@code empty}, removes every row (a fresh wallet). */
    void prepare(boolean empty) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS balances ("
                    + "user_id TEXT PRIMARY KEY, balance BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS wallet_applied_events ("
                    + "event_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, seq BIGINT NOT NULL, outcome TEXT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS wallet_users ("
                    + "user_id TEXT PRIMARY KEY, last_seq BIGINT NOT NULL, out_of_order BIGINT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS wallet_redeliveries (event_id TEXT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS wallet_notified (event_id TEXT PRIMARY KEY)");
            if (empty) {
                for (String table : TABLES) {
                    statement.execute("DELETE FROM " + table);
                }
            }
        }
        connection.commit();
    }

    /** Applies {@code event} once, in a transaction of its own (a batch of one); see the class description. */
    Result apply(WalletEvent event) throws SQLException {
        return applyAll(List.of(event)).get(0);
    }

    /**
     * Applies {@code events} in order, each once, all in one transaction: each event is recorded, skipped as a
     * redelivery, applied or declined exactly as {@link #apply} would, and a later event of the batch sees the
     * balance the earlier ones left. If any step fails, the transaction is rolled back: none of the events is
     * applied, and the exception is thrown as is.
     *
     * <p>How: each user's rows are read once (and on PostgreSQL locked, users in id order, so two transactions
     * never wait for each other in a circle), the events change them in memory, each event's id goes in with its
     * outcome in one insert, and each user's rows are written back once before the commit. A batch of 700 events
     * of 17 users costs about 800 statements instead of 7 per event.
     *
     * @return one result per event, in the order of {@code events}
     */
    List<Result> applyAll(List<WalletEvent> events) throws SQLException {
        try {
            // In user id order (an event without one, which the database refuses, sorts first).
            Map<String, UserRows> users = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
            for (WalletEvent event : events) {
                users.putIfAbsent(event.userId(), null);
            }
            for (String userId : users.keySet()) {
                users.put(userId, lockedUser(userId));
            }
            List<Result> results = new ArrayList<>(events.size());
            for (WalletEvent event : events) {
                results.add(applyInTransaction(event, users.get(event.userId())));
            }
            for (UserRows user : users.values()) {
                if (user.changed) {
                    writeBack(user);
                }
            }
            connection.commit();
            return results;
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(e);
            throw e;
        }
    }

    /** One user's rows as this transaction has changed them so far; written back once, at its end. */
    private static final class UserRows {
        final String userId;
        long balance;
        long lastSeq;
        long outOfOrder;
        boolean changed;

        UserRows(String userId, long balance, long lastSeq, long outOfOrder) {
            this.userId = userId;
            this.balance = balance;
            this.lastSeq = lastSeq;
            this.outOfOrder = outOfOrder;
        }
    }

    private Result applyInTransaction(WalletEvent event, UserRows user) throws SQLException {
        long balance = user.balance;
        Outcome outcome;
        if (event.type() == WalletEvent.Type.CHARGE) {
            balance += event.amount();
            outcome = Outcome.APPLIED;
        } else if (balance >= event.amount()) {
            balance -= event.amount();
            outcome = Outcome.APPLIED;
        } else {
            outcome = Outcome.DECLINED;
        }
        if (!recordEvent(event, outcome)) {
            // Applied before (a redelivery): this delivery changes nothing and reports the first outcome.
            return new Result(storedOutcome(event.eventId()), true);
        }
        user.balance = balance;
        // Remembers the highest seq applied for the user; an event below it was applied out of order.
        if (user.lastSeq > event.seq()) {
            user.outOfOrder++;
        } else {
            user.lastSeq = event.seq();
        }
        user.changed = true;
        return new Result(outcome, false);
    }

    /** Inserts the event id with its outcome; false if the id was there already (a redelivery). */
    private boolean recordEvent(WalletEvent event, Outcome outcome) throws SQLException {
        PreparedStatement insert = statement(
                "INSERT INTO wallet_applied_events (event_id, user_id, seq, outcome) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (event_id) DO NOTHING");
        insert.setString(1, event.eventId());
        insert.setString(2, event.userId());
        insert.setLong(3, event.seq());
        insert.setString(4, outcome.name());
        if (insert.executeUpdate() == 1) {
            return true;
        }
        // Counted in the database, so the count covers every process of the group, a killed one's too.
        PreparedStatement redelivery = statement("INSERT INTO wallet_redeliveries (event_id) VALUES (?)");
        redelivery.setString(1, event.eventId());
        redelivery.executeUpdate();
        return false;
    }

    /**
     * The user's rows, creating them (balance 0) if new. The first statement writes, so SQLite's transaction
     * holds the database's write lock from here on; on PostgreSQL the rows stay locked until the commit.
     */
    private UserRows lockedUser(String userId) throws SQLException {
        PreparedStatement createBalance = statement(
                "INSERT INTO balances (user_id, balance) VALUES (?, 0) ON CONFLICT (user_id) DO NOTHING");
        createBalance.setString(1, userId);
        createBalance.executeUpdate();
        PreparedStatement createUser = statement("INSERT INTO wallet_users (user_id, last_seq, out_of_order) "
                + "VALUES (?, 0, 0) ON CONFLICT (user_id) DO NOTHING");
        createUser.setString(1, userId);
        createUser.executeUpdate();
        PreparedStatement query = statement("SELECT b.balance, u.last_seq, u.out_of_order FROM balances b "
                + "JOIN wallet_users u ON u.user_id = b.user_id WHERE b.user_id = ?" + (postgres ? " FOR UPDATE" : ""));
        query.setString(1, userId);
        try (ResultSet row = query.executeQuery()) {
            row.next();
            return new UserRows(userId, row.getLong(1), row.getLong(2), row.getLong(3));
        }
    }

    private void writeBack(UserRows user) throws SQLException {
        PreparedStatement balance = statement("UPDATE balances SET balance = ? WHERE user_id = ?");
        balance.setLong(1, user.balance);
        balance.setString(2, user.userId);
        balance.executeUpdate();
        PreparedStatement order = statement("UPDATE wallet_users SET last_seq = ?, out_of_order = ? WHERE user_id = ?");
        order.setLong(1, user.lastSeq);
        order.setLong(2, user.outOfOrder);
        order.setString(3, user.userId);
        order.executeUpdate();
    }

    /** Events applied after a later event of the same user, per user (users with none are left out). */
    Map<String, Long> outOfOrderByUser() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT user_id, out_of_order FROM wallet_users WHERE out_of_order > 0")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        endReadTransaction();
        return counts;
    }

    private Outcome storedOutcome(String eventId) throws SQLException {
        PreparedStatement query = statement("SELECT outcome FROM wallet_applied_events WHERE event_id = ?");
        query.setString(1, eventId);
        try (ResultSet row = query.executeQuery()) {
            row.next();
            return Outcome.valueOf(row.getString(1));
        }
    }

    /** Every user's balance, by user id. */
    Map<String, Long> balances() throws SQLException {
        Map<String, Long> balances = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT user_id, balance FROM balances")) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        endReadTransaction();
        return balances;
    }

    /** How many distinct events have been recorded (applied or declined) so far. */
    long recordedEvents() throws SQLException {
        return count("SELECT COUNT(*) FROM wallet_applied_events");
    }

    /** Deliveries of events that had been applied before, by any process of the group. */
    long redeliveries() throws SQLException {
        return count("SELECT COUNT(*) FROM wallet_redeliveries");
    }

    /**
     * Records that the notifier accepted {@code eventId}, in a transaction of its own.
     *
     * @return false if it had been accepted before (the idempotency key was known)
     */
    boolean recordNotified(String eventId) throws SQLException {
        try {
            PreparedStatement insert = statement(
                    "INSERT INTO wallet_notified (event_id) VALUES (?) ON CONFLICT (event_id) DO NOTHING");
            insert.setString(1, eventId);
            boolean added = insert.executeUpdate() == 1;
            connection.commit();
            return added;
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(e);
            throw e;
        }
    }

    /** Distinct event ids recorded by {@link #recordNotified}. */
    long notifiedCount() throws SQLException {
        return count("SELECT COUNT(*) FROM wallet_notified");
    }

    private long count(String sql) throws SQLException {
        long count;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            count = row.getLong(1);
        }
        endReadTransaction();
        return count;
    }

    /** How many events were applied and how many declined, from the event table. */
    Map<Outcome, Integer> outcomeCounts() throws SQLException {
        Map<Outcome, Integer> counts = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT outcome, COUNT(*) FROM wallet_applied_events GROUP BY outcome")) {
            while (rows.next()) {
                counts.put(Outcome.valueOf(rows.getString(1)), rows.getInt(2));
            }
        }
        endReadTransaction();
        return counts;
    }

    /**
     * Ends the read transaction so the next query sees what other connections committed since. Called only
     * after the query's statement is closed: SQLite keeps a snapshot alive while a statement is open, and a
     * commit made then would carry the old snapshot into the next transaction.
     */
    private void endReadTransaction() throws SQLException {
        connection.commit();
    }

    /** The statement for {@code sql}, prepared on first use and kept open until {@link #close}. */
    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** Closes the connection (and with it every statement it prepared). */
    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private void rollbackAfter(Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static Connection withoutAutoCommit(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        return connection;
    }
}
