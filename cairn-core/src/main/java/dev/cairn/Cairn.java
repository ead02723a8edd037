package dev.cairn;

import dev.cairn.imports.omk.OmkImportOptions;
import dev.cairn.imports.omk.OmkImportProgress;
import dev.cairn.imports.omk.OmkImportReport;
import dev.cairn.imports.omk.internal.OmkImporter;
import dev.cairn.internal.AutoCommitSession;
import dev.cairn.internal.Engine;
import dev.cairn.internal.Maintenance;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import dev.cairn.internal.StoreConfig;
import dev.cairn.internal.copy.StoreCopy;
import dev.cairn.internal.migration.MigrationRunner;
import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.internal.postgres.PostgresDialect;
import dev.cairn.internal.postgres.PostgresDoctor;
import dev.cairn.internal.postgres.PostgresEngine;
import dev.cairn.internal.postgres.PostgresMaintenance;
import dev.cairn.internal.sqlite.SqliteDialect;
import dev.cairn.internal.sqlite.SqliteDoctor;
import dev.cairn.internal.sqlite.SqliteEngine;
import dev.cairn.internal.sqlite.SqliteFiles;
import dev.cairn.internal.sqlite.SqliteMaintenance;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.CheckpointResult;
import dev.cairn.maintenance.CopyProgress;
import dev.cairn.maintenance.CopyResult;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.IntegrityReport;
import dev.cairn.maintenance.MigrationInfo;
import dev.cairn.maintenance.StoreStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An open Cairn store: the durable memory of an agent runtime in one SQLite file.
 *
 * <pre>{@code
 * try (Cairn db = Cairn.open(Path.of("agent.db"))) {
 *     db.inTransaction(tx -> ...);
 * }
 * }</pre>
 *
 * <p>Opening creates the file (private to the user) and applies pending migrations. A store is safe to share between
 * threads, and several processes may open the same file at once. Close it when done; closing waits for a running
 * write to finish.
 */
public final class Cairn extends Repositories implements AutoCloseable {
    private static final String VERSION = readVersion();
    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final String SQLITE = "jdbc:sqlite:";

    private final Engine engine;
    private final AutoCommitSession session;
    private final Maintenance maintenance;
    private final MigrationRunner migrations;
    private final MigrationSet migrationSet;

    private Cairn(Engine engine, Maintenance maintenance, MigrationSet migrationSet) {
        this.engine = engine;
        this.session = new AutoCommitSession(engine);
        this.maintenance = maintenance;
        this.migrationSet = migrationSet;
        this.migrations = new MigrationRunner(migrationSet, engine, VERSION);
    }

    /** Opens (creating it if needed) the store in the given file, with default settings. */
    public static Cairn open(Path file) {
        return builder().path(file).open();
    }

    /**
     * Opens the store at a location: a file path, a {@code jdbc:sqlite:} URL, or a {@code jdbc:postgresql:} URL
     * (which needs the PostgreSQL driver and HikariCP on the class path).
     */
    public static Cairn open(String location) {
        return builder().location(location).open();
    }

    /** Opens the store at the {@link #defaultPath() default location}. */
    public static Cairn open() {
        return builder().open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the store lives when no path is given: {@code $CAIRN_DB}, else {@code $XDG_STATE_HOME/cairn/cairn.db},
     * else {@code ~/.local/state/cairn/cairn.db}.
     */
    public static Path defaultPath() {
        return defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultPath(Map<String, String> env, String home) {
        String explicit = env.get("CAIRN_DB");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank()) {
            return Path.of(state, "cairn", "cairn.db");
        }
        return Path.of(home, ".local", "state", "cairn", "cairn.db");
    }

    /** The version of this Cairn library. */
    public static String version() {
        return VERSION;
    }

    /** Examines a database file without opening it as a store, so it works on missing and damaged files too. */
    public static DoctorReport doctor(Path file) {
        return SqliteDoctor.examine(file, MigrationSet.forDialect(SqliteDialect.INSTANCE));
    }

    /** Examines the store at a location (a path or a JDBC URL) without changing it. */
    public static DoctorReport doctor(String location) {
        if (location.startsWith(POSTGRESQL)) {
            Builder.requirePostgresClasses();
            return PostgresDoctor.examine(location, MigrationSet.forDialect(PostgresDialect.INSTANCE));
        }
        return doctor(Builder.sqlitePath(location));
    }

    /** A location as Cairn prints it: a path, or a URL without any password. */
    public static String describe(String location) {
        return isServerLocation(location) ? PostgresEngine.redact(location) : location;
    }

    /** Whether a location names a database server rather than a file. */
    public static boolean isServerLocation(String location) {
        return location.startsWith(POSTGRESQL);
    }

    /**
     * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws (and rethrows).
     */
    public <T> T inTransaction(Function<Transaction, T> work) {
        Transaction tx = new Transaction(engine, CallSite.outside(Cairn.class));
        try {
            T result = work.apply(tx);
            if (tx.isOpen()) {
                tx.commit();
            }
            return result;
        } catch (RuntimeException | Error e) {
            tx.abandon(e);
            throw e;
        }
    }

    /** Like {@link #inTransaction(Function)}, for work without a result. */
    public void useTransaction(Consumer<Transaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Begins a transaction to be ended with {@link Transaction#commit()} or {@link Transaction#rollback()}; use it in
     * try-with-resources, which rolls back what was not committed.
     */
    public Transaction begin() {
        return new Transaction(engine, CallSite.outside(Cairn.class));
    }

    /**
     * Runs {@code work} on one consistent snapshot of the store: every read made through its {@link ReadTransaction}
     * runs on one reader connection in one read transaction, so several reads agree with each other even while other
     * threads and processes write. It does not take the writer; any write through it fails with
     * {@link ReadOnlyException}. Streams and pages must be consumed inside {@code work}.
     */
    public <T> T read(Function<ReadTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        String openedAt = CallSite.outside(Cairn.class);
        // Before the snapshot is taken: it then holds every append this store committed (PostgreSQL's readers trail
        // the commits of other transactions; see EventLog).
        session.awaitOwnAppends();
        return engine.read(connection -> ReadTransaction.run(session, connection, openedAt, work));
    }

    /** Every migration this code ships, with when it was applied here (and any applied by a newer Cairn). */
    public List<MigrationInfo> migrations() {
        return migrations.status();
    }

    /** Applies pending migrations (only needed when opened with {@code migrate(false)}); returns what it applied. */
    public List<MigrationInfo> migrate() {
        return migrations.migrate();
    }

    /** Schema versions, migrations, file sizes and row counts. */
    public StoreStatus status() {
        List<MigrationInfo> all = migrations.status();
        // One snapshot for the versions and the row counts, and the tables listed once for both.
        Contents contents = engine.read(connection -> {
            Set<String> tables = engine.dialect().tables(connection);
            String[] meta = {"0", ""};
            if (tables.contains("meta")) {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT schema_version, app_version FROM meta")) {
                    if (rows.next()) {
                        meta = new String[] {rows.getString(1), rows.getString(2)};
                    }
                }
            }
            return new Contents(Integer.parseInt(meta[0]), meta[1], Sql.rowCounts(connection, tables));
        });
        return new StoreStatus(engine.location(), engine.dialect().name(), contents.schemaVersion(),
                migrationSet.latestVersion(), contents.appVersion(), all, maintenance.fileBytes(),
                maintenance.walBytes(), contents.rowCounts());
    }

    private record Contents(int schemaVersion, String appVersion, Map<String, Long> rowCounts) {}

    /**
     * Copies the whole store to {@code destination} while it stays in use: the copy is one consistent snapshot,
     * private to the user, checked, and moved into place only when complete. Refuses an existing destination.
     */
    public BackupResult backupTo(Path destination) {
        return backupTo(destination, BackupOptions.defaults());
    }

    public BackupResult backupTo(Path destination, BackupOptions options) {
        Objects.requireNonNull(destination, "destination");
        return maintenance.backupTo(destination, options);
    }

    /** Like {@link #copy(String, String, CopyProgress)}, without progress reports. */
    public static CopyResult copy(String from, String to) {
        return copy(from, to, CopyProgress.none());
    }

    /**
     * Copies the whole store at {@code from} into {@code to}, between any two locations (a file or a PostgreSQL
     * URL): every row of every table, with its sequences, stream versions, ids and timestamps, in one read snapshot
     * of the source and one write transaction on the destination, so the copy is all or nothing. The copy keeps the
     * source's store identity; only the schema bookkeeping ({@code meta}, {@code schema_migrations}) is the
     * destination's own. The source is opened read-only and must be at this Cairn's schema version (migrate it
     * first); the destination is created or migrated, and must hold no data yet.
     *
     * @throws ConflictException when the destination already holds Cairn data
     * @throws MigrationException when the source's schema is older than this Cairn's
     * @throws SchemaTooNewException when the source's schema is newer than this Cairn's
     */
    public static CopyResult copy(String from, String to, CopyProgress progress) {
        Objects.requireNonNull(progress, "progress");
        long started = System.nanoTime();
        if (sameLocation(from, to)) {
            throw new InvalidInputException("cannot copy " + describe(from) + " onto itself");
        }
        Path createdFile = isServerLocation(to) || Files.exists(Builder.sqlitePath(to)) ? null
                : Builder.sqlitePath(to);
        try (Cairn source = builder().location(from).readOnly(true).open()) {
            int version = source.status().schemaVersion();
            int shipped = source.migrationSet.latestVersion();
            if (version < shipped) {
                throw new MigrationException(source.location() + " has schema version " + version + " but this Cairn "
                        + "ships " + shipped + ": run 'cairn migrate' on it first, then copy it");
            }
            Map<String, Long> rows;
            try (Cairn destination = builder().location(to).open()) {
                rows = StoreCopy.copy(source.engine, destination.engine, progress);
                return new CopyResult(source.location(), destination.location(), version, rows,
                        Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException | Error e) {
                if (createdFile != null) {
                    deleteCreated(createdFile, e);
                }
                throw e;
            }
        }
    }

    /** Removes a database file a failed copy created (the data was rolled back; only the empty schema is left). */
    private static void deleteCreated(Path file, Throwable failure) {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static boolean sameLocation(String a, String b) {
        if (isServerLocation(a) || isServerLocation(b)) {
            return a.equals(b);
        }
        return Builder.sqlitePath(a).toAbsolutePath().normalize().equals(Builder.sqlitePath(b).toAbsolutePath()
                .normalize());
    }

    /** Rebuilds the database file to reclaim free pages. Holds the writer while it runs. */
    public void vacuum() {
        maintenance.vacuum();
    }

    /** Writes a compacted copy of the store to {@code destination} (which must not exist). */
    public BackupResult vacuumInto(Path destination) {
        return maintenance.vacuumInto(destination, false);
    }

    public BackupResult vacuumInto(Path destination, boolean overwrite) {
        return maintenance.vacuumInto(destination, overwrite);
    }

    /** Runs the database's integrity and foreign-key checks and lists what they found. */
    public IntegrityReport integrityCheck() {
        return maintenance.integrityCheck();
    }

    /** Folds the write-ahead log into the database file and truncates it. */
    public CheckpointResult checkpoint() {
        return maintenance.checkpoint();
    }

    /**
     * Imports the goals of an omk state directory ({@code goals/<id>/} with their JSON files, and {@code omk.db} when
     * present): each goal with its task graph, events, proof, budget checkpoints, decisions, cost records, artifacts,
     * leases and controller, in one transaction per goal. A goal that cannot be read is reported with its file and
     * line and left out; the others are imported. Importing the same files again changes nothing; a goal Cairn holds
     * with other content is reported as a conflict and left as it is. See docs/imports.md.
     */
    public OmkImportReport importOmk(OmkImportOptions options) {
        return importOmk(options, OmkImportProgress.NONE);
    }

    /** {@link #importOmk(OmkImportOptions)}, telling {@code progress} how far it got. */
    public OmkImportReport importOmk(OmkImportOptions options, OmkImportProgress progress) {
        Objects.requireNonNull(options, "options");
        return new OmkImporter(session, goals(), events()).run(options, progress == null ? OmkImportProgress.NONE
                : progress);
    }

    /** The database's location: its absolute path, or its JDBC URL without a password. */
    public String location() {
        return engine.location();
    }

    @Override
    Session session() {
        return session;
    }

    /**
     * Ends every subscription of this store, then closes every connection; waits for a write that is running to
     * finish. Using the store afterwards fails with {@link TransactionStateException}.
     */
    @Override
    public void close() {
        session.close();
        engine.close();
    }

    private static String readVersion() {
        try (InputStream in = Cairn.class.getResourceAsStream("cairn.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }

    /** Settings for opening a store; every one has a sensible default. */
    public static final class Builder {
        private Path path;
        private String url;
        private Durability durability = Durability.NORMAL;
        private Duration busyTimeout = Duration.ofSeconds(10);
        private int readers = 4;
        private boolean readOnly;
        private boolean migrate = true;
        private Clock clock = Clock.systemUTC();
        private boolean clockGiven;

        private Builder() {}

        /** The database file; when not set, {@link Cairn#defaultPath()}. */
        public Builder path(Path path) {
            this.path = Objects.requireNonNull(path, "path");
            this.url = null;
            return this;
        }

        /** A file path, a {@code jdbc:sqlite:} URL or a {@code jdbc:postgresql:} URL. */
        public Builder location(String location) {
            Objects.requireNonNull(location, "location");
            if (location.startsWith(POSTGRESQL)) {
                this.url = location;
                this.path = null;
            } else {
                path(sqlitePath(location));
            }
            return this;
        }

        static Path sqlitePath(String location) {
            if (location.startsWith(SQLITE)) {
                return Path.of(location.substring(SQLITE.length()));
            }
            if (location.startsWith("jdbc:")) {
                throw new InvalidInputException("unsupported database URL " + location.split("\\?")[0]
                        + ": Cairn runs on a SQLite file (a path or jdbc:sqlite:PATH) or on PostgreSQL "
                        + "(jdbc:postgresql://host:port/database)");
            }
            return Path.of(location);
        }

        static void requirePostgresClasses() {
            try {
                Class.forName("com.zaxxer.hikari.HikariDataSource");
                Class.forName("org.postgresql.Driver");
            } catch (ClassNotFoundException e) {
                throw new InvalidInputException("a PostgreSQL store needs org.postgresql:postgresql and "
                        + "com.zaxxer:HikariCP on the class path; add both dependencies (missing: " + e.getMessage()
                        + ")");
            }
        }

        /** How hard commits push to disk; {@link Durability#NORMAL} unless told otherwise. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * How long a write waits for another writer (a thread or another process) before it fails with
         * {@link BusyException}; 10 seconds unless told otherwise.
         */
        public Builder busyTimeout(Duration busyTimeout) {
            if (busyTimeout.isNegative()) {
                throw new InvalidInputException("busyTimeout must not be negative, was " + busyTimeout);
            }
            this.busyTimeout = busyTimeout;
            return this;
        }

        /** How many read connections the store may open; 4 unless told otherwise. */
        public Builder readers(int readers) {
            if (readers < 1 || readers > 64) {
                throw new InvalidInputException("readers must be between 1 and 64, was " + readers);
            }
            this.readers = readers;
            return this;
        }

        /** Opens without a writer: nothing is created or migrated, and every write fails. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** Whether opening applies pending migrations (default true); without, call {@link Cairn#migrate()}. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * The clock for every timestamp Cairn writes; the system UTC clock unless told otherwise (for tests). Without
         * one, heartbeats and leases on PostgreSQL are timed by the database server's clock, which every host shares;
         * with one, by this clock.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.clockGiven = true;
            return this;
        }

        public Cairn open() {
            StoreConfig config = new StoreConfig(durability, busyTimeout, readers, readOnly, clock, !clockGiven);
            Engine engine;
            Maintenance maintenance;
            if (url != null) {
                requirePostgresClasses();
                engine = new PostgresEngine(url, config);
                maintenance = new PostgresMaintenance(engine);
            } else {
                SqliteEngine sqlite = new SqliteEngine(SqliteFiles.prepare(path != null ? path : defaultPath(),
                        readOnly), config);
                engine = sqlite;
                maintenance = new SqliteMaintenance(sqlite);
            }
            try {
                Cairn cairn = new Cairn(engine, maintenance, MigrationSet.forDialect(engine.dialect()));
                if (migrate && !readOnly) {
                    cairn.migrations.migrate();
                    engine.eventIds(); // read now, not on the first append's write path
                } else {
                    cairn.migrations.verify(); // which may leave migrating to the caller: then read when first needed
                }
                return cairn;
            } catch (RuntimeException | Error e) {
                engine.close();
                throw e;
            }
        }
    }
}
