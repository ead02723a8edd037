package dev.cairn.events.internal;

import dev.cairn.events.orchestration.SettingEvent;
import dev.cairn.internal.Json;
import dev.cairn.internal.Sql;
import dev.cairn.projections.SettingView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code projection_settings}. */
final class SettingRows {
    private static final String SELECT = "SELECT setting_key, value, updated_at FROM projection_settings ";

    private SettingRows() {}

    static void set(Connection c, SettingEvent.Set e, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_settings (setting_key, value, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                e.key(), Json.write(e.value()), at);
    }

    static void delete(Connection c, String key) throws SQLException {
        Sql.update(c, "DELETE FROM projection_settings WHERE setting_key = ?", key);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_settings");
    }

    static List<SettingView> all(Connection c) throws SQLException {
        return Sql.list(c, SELECT + "ORDER BY setting_key", SettingRows::map);
    }

    static Optional<SettingView> one(Connection c, String key) throws SQLException {
        return Sql.one(c, SELECT + "WHERE setting_key = ?", SettingRows::map, key);
    }

    private static SettingView map(ResultSet row) throws SQLException {
        return new SettingView(row.getString(1), Json.tree(row.getString(2)), Instant.ofEpochMilli(row.getLong(3)));
    }
}
