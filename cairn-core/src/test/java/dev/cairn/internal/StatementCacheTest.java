package dev.cairn.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
    @TempDir
    Path dir;

    @Test
    void aClosedStatementIsHandedOutAgainAndANestedUseGetsItsOwn() throws Exception {
        try (Connection connection = StatementCache.wrap(DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db")))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (x INTEGER)");
            }
            PreparedStatement first;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (x) VALUES (?)")) {
                first = insert;
                insert.setInt(1, 1);
                insert.executeUpdate();
            }
            assertThat(first.isClosed()).isTrue(); // to its user, it is closed
            try (PreparedStatement again = connection.prepareStatement("INSERT INTO t (x) VALUES (?)")) {
                assertThat(again).isSameAs(first);
                again.setInt(1, 2);
                again.executeUpdate();
                try (PreparedStatement nested = connection.prepareStatement("INSERT INTO t (x) VALUES (?)")) {
                    assertThat(nested).isNotSameAs(again);
                    nested.setInt(1, 3);
                    nested.executeUpdate();
                }
            }
            // A query abandoned half way is reset when its statement is handed back, so it holds nothing.
            try (PreparedStatement query = connection.prepareStatement("SELECT x FROM t ORDER BY x")) {
                ResultSet rows = query.executeQuery();
                rows.next();
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT x FROM t ORDER BY x");
                    ResultSet rows = query.executeQuery()) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(3);
            }
            StatementCache.clear(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM"); // refused while a statement that wrote is still prepared
            }
        }
    }
}
