package dev.cairn.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite and PostgreSQL migrations build the same schema: a fresh file and a fresh schema, each migrated by its
 * own dialect's files, are read back from the databases' catalogues and compared table by table (columns with their
 * kind and nullability, primary key, foreign keys, indexes with their uniqueness and partial predicate). The files
 * differ in a few lines each (generated keys, how the seed row is made); this fails when one dialect changes alone.
 * What only PostgreSQL has, on purpose, is listed below.
 * Skipped, as every PostgreSQL test, where no server answers.
 */
class SchemaParityTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    Path dir;

    /**
     * Column kinds, by the name each catalogue gives the declared type. SQLite keeps the declared type as written;
     * PostgreSQL reports its own names (information_schema.columns.data_type). A type in neither list fails the test,
     * so a new one is mapped here on purpose.
     */
    static final Map<String, String> SQLITE_KINDS = Map.of(
            "INTEGER", "integer",
            "BIGINT", "integer",
            "TEXT", "text",
            "BOOLEAN", "boolean",
            "REAL", "real",
            "BLOB", "uuid"); // Cairn's only BLOBs are uuids' 16 bytes
    static final Map<String, String> POSTGRES_KINDS = Map.of(
            "integer", "integer",
            "bigint", "integer",
            "smallint", "integer",
            "text", "text",
            "boolean", "boolean",
            "double precision", "real",
            "uuid", "uuid");

    /** PostgreSQL's {@code pg_constraint.confdeltype}, spelled as SQLite's {@code foreign_key_list} spells it. */
    static final Map<String, String> ON_DELETE = Map.of(
            "a", "NO ACTION", "r", "RESTRICT", "c", "CASCADE", "n", "SET NULL", "d", "SET DEFAULT");

    record Column(String name, String kind, boolean nullable) {}

    record ForeignKey(List<String> columns, String table, List<String> references, String onDelete) {}

    /** An index other than the primary key's; its name is left out (a UNIQUE constraint's index is named by each). */
    record Index(List<String> columns, boolean unique, String where) {}

    record Table(List<Column> columns, List<String> primaryKey, Set<String> foreignKeys, Set<String> indexes) {}

    /**
     * What only PostgreSQL has, on purpose (migration 0007): appends run there in parallel, so the log orders events
     * by their transaction ({@code events.tx_order}, indexed with the sequence) and each stream's version is a row to
     * lock ({@code streams}). SQLite's one writer commits in sequence order and needs neither, and its appends must
     * not pay for them. Each must be present on PostgreSQL (so an allowance cannot outlive its reason), and is then
     * left out of the comparison.
     */
    static final Set<String> POSTGRES_ONLY_TABLES = Set.of("streams");
    static final Map<String, String> POSTGRES_ONLY_COLUMNS = Map.of("events", "tx_order");
    static final Map<String, Index> POSTGRES_ONLY_INDEXES = Map.of("events",
            new Index(List.of("tx_order", "sequence"), false, null));

    @Test
    void bothDialectsBuildTheSameSchema() throws Exception {
        Path file = dir.resolve("parity.db");
        try (Cairn sqlite = Cairn.open(file.toString()); Cairn postgres = Cairn.open(SCHEMA.url())) {
            assertThat(sqlite.status().schemaVersion()).isEqualTo(postgres.status().schemaVersion());
        }
        Map<String, Table> fromSqlite;
        Map<String, Table> fromPostgres;
        try (Connection connection = Backends.connect(file.toString())) {
            fromSqlite = sqliteSchema(connection);
        }
        try (Connection connection = Backends.connect(SCHEMA.url())) {
            fromPostgres = postgresSchema(connection);
        }
        // Never compare nothing: the schema has the tables of every migration.
        assertThat(fromSqlite).containsKeys("meta", "schema_migrations", "runs", "events", "goals",
                "goal_slice_leases");
        fromPostgres = withoutPostgresOnly(fromPostgres);
        assertThat(fromPostgres.keySet()).as("tables").containsExactlyElementsOf(fromSqlite.keySet());
        for (String table : fromSqlite.keySet()) {
            assertThat(fromPostgres.get(table)).as("table %s on PostgreSQL vs SQLite", table)
                    .isEqualTo(fromSqlite.get(table));
        }
        assertThat(fromSqlite.get("goal_slice_leases").indexes()).as("a partial index is read with its predicate")
                .contains(new Index(List.of("goal_id", "slice_id"), true,
                        "released_at is null and expired_at is null").toString());
    }

    private static Map<String, Table> withoutPostgresOnly(Map<String, Table> postgres) {
        Map<String, Table> tables = new TreeMap<>(postgres);
        assertThat(tables).as("tables only PostgreSQL has").containsKeys(POSTGRES_ONLY_TABLES.toArray(String[]::new));
        tables.keySet().removeAll(POSTGRES_ONLY_TABLES);
        POSTGRES_ONLY_COLUMNS.forEach((name, column) -> {
            Table table = tables.get(name);
            assertThat(table.columns()).as("columns of %s", name).extracting(Column::name).contains(column);
            Index index = POSTGRES_ONLY_INDEXES.get(name);
            assertThat(table.indexes()).as("indexes of %s", name).contains(index.toString());
            Set<String> indexes = new TreeSet<>(table.indexes());
            indexes.remove(index.toString());
            tables.put(name, new Table(table.columns().stream().filter(c -> !c.name().equals(column)).toList(),
                    table.primaryKey(), table.foreignKeys(), indexes));
        });
        return tables;
    }

    private static Map<String, Table> sqliteSchema(Connection connection) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        for (String table : strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite_%'")) {
            List<Column> columns = new ArrayList<>();
            TreeMap<Integer, String> primaryKey = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (rows.next()) {
                    String name = rows.getString("name");
                    int pk = rows.getInt("pk");
                    if (pk > 0) {
                        primaryKey.put(pk, name);
                    }
                    // A primary key column never holds NULL on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the
                    // rowid (never NULL) while other key columns report notnull = 0 unless declared NOT NULL.
                    // Allowance: key columns count as not nullable on both sides (Cairn never writes a NULL key).
                    boolean nullable = rows.getInt("notnull") == 0 && pk == 0;
                    columns.add(new Column(name, kind(SQLITE_KINDS, rows.getString("type"), table, name), nullable));
                }
            }
            Set<String> foreignKeys = new TreeSet<>();
            Map<Integer, ForeignKey> byId = new TreeMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA foreign_key_list(" + table + ")")) {
                while (rows.next()) {
                    ForeignKey key = byId.computeIfAbsent(rows.getInt("id"), id -> {
                        try {
                            return new ForeignKey(new ArrayList<>(), rows.getString("table"), new ArrayList<>(),
                                    rows.getString("on_delete"));
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    key.columns().add(rows.getString("from"));
                    key.references().add(rows.getString("to"));
                }
            }
            byId.values().forEach(key -> foreignKeys.add(key.toString()));
            Set<String> indexes = new TreeSet<>();
            List<String[]> listed = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA index_list(" + table + ")")) {
                while (rows.next()) {
                    if (!"pk".equals(rows.getString("origin"))) {
                        listed.add(new String[] {rows.getString("name"), rows.getString("unique"),
                                rows.getString("partial")});
                    }
                }
            }
            for (String[] index : listed) {
                List<String> indexColumns = strings(connection, "SELECT name FROM pragma_index_info(?) ORDER BY seqno",
                        index[0]);
                String where = null;
                if ("1".equals(index[2])) {
                    String sql = strings(connection, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                            index[0]).get(0);
                    where = predicate(sql.substring(sql.toUpperCase(Locale.ROOT).lastIndexOf(" WHERE ") + 7));
                }
                indexes.add(new Index(indexColumns, "1".equals(index[1]), where).toString());
            }
            tables.put(table, new Table(columns, List.copyOf(primaryKey.values()), foreignKeys, indexes));
        }
        return tables;
    }

    private static Map<String, Table> postgresSchema(Connection connection) throws SQLException {
        Map<String, Table> tables = new TreeMap<>();
        for (String table : strings(connection, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            List<Column> columns = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT column_name, data_type, "
                    + "is_nullable FROM information_schema.columns WHERE table_schema = current_schema() "
                    + "AND table_name = ? ORDER BY ordinal_position")) {
                statement.setString(1, table);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String name = rows.getString(1);
                        columns.add(new Column(name, kind(POSTGRES_KINDS, rows.getString(2), table, name),
                                "YES".equals(rows.getString(3))));
                    }
                }
            }
            String oid = "'" + table + "'::regclass";
            List<String> primaryKey = strings(connection, "SELECT a.attname FROM pg_index i "
                    + "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                    + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                    + "WHERE i.indrelid = " + oid + " AND i.indisprimary ORDER BY k.n");
            Set<String> foreignKeys = new TreeSet<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT c.conname, c.confrelid::regclass::text, "
                            + "c.confdeltype, "
                            + "(SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY "
                            + "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid "
                            + "AND a.attnum = k.attnum), "
                            + "(SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY "
                            + "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.confrelid "
                            + "AND a.attnum = k.attnum) "
                            + "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = " + oid)) {
                while (rows.next()) {
                    foreignKeys.add(new ForeignKey(List.of((String[]) rows.getArray(4).getArray()),
                            rows.getString(2), List.of((String[]) rows.getArray(5).getArray()),
                            ON_DELETE.get(rows.getString(3))).toString());
                }
            }
            Set<String> indexes = new TreeSet<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT i.indisunique, "
                            + "pg_get_expr(i.indpred, i.indrelid), "
                            + "(SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY "
                            + "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid "
                            + "AND a.attnum = k.attnum) "
                            + "FROM pg_index i WHERE i.indrelid = " + oid + " AND NOT i.indisprimary")) {
                while (rows.next()) {
                    String where = rows.getString(2);
                    indexes.add(new Index(List.of((String[]) rows.getArray(3).getArray()), rows.getBoolean(1),
                            where == null ? null : predicate(where)).toString());
                }
            }
            tables.put(table, new Table(columns, primaryKey, foreignKeys, indexes));
        }
        return tables;
    }

    private static String kind(Map<String, String> kinds, String declared, String table, String column) {
        String kind = kinds.get(declared);
        assertThat(kind).as("the kind of %s.%s, declared %s: map it in SchemaParityTest", table, column, declared)
                .isNotNull();
        return kind;
    }

    /**
     * A partial index's predicate in one spelling: PostgreSQL prints it back with parentheses around every term and
     * casts on literals ({@code ((status)::text = 'x'::text)}); SQLite keeps it as written.
     */
    static String predicate(String sql) {
        return sql.toLowerCase(Locale.ROOT)
                .replaceAll("::[a-z ]+?(?=[) ,]|$)", "")
                .replace("(", " ").replace(")", " ")
                .replaceAll("\\s+", " ")
                .replaceAll("\\s*;\\s*$", "")
                .trim();
    }

    private static List<String> strings(Connection connection, String sql, String... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
