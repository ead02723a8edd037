package dev.cairn;

import dev.cairn.internal.Sql;
import java.util.List;

/**
 * A throwaway table for foundation tests, written through the same sessions repositories use, so the tests exercise
 * the store's real write and read paths without depending on any domain.
 */
final class Scratch {
    private Scratch() {}

    static void create(Repositories side) {
        side.session().write(c -> Sql.update(c, "CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, "
                + "value TEXT NOT NULL)"));
    }

    static void insert(Repositories side, long id, String value) {
        side.session().write(c -> Sql.update(c, "INSERT INTO scratch (id, value) VALUES (?, ?)", id, value));
    }

    static List<String> values(Repositories side) {
        return side.session().read(c -> Sql.list(c, "SELECT value FROM scratch ORDER BY id", r -> r.getString(1)));
    }

    static long count(Repositories side) {
        return side.session().read(c -> Sql.longValue(c, "SELECT count(*) FROM scratch", 0));
    }

    static String pragma(Repositories side, String name) {
        return side.session().read(c -> Sql.one(c, "PRAGMA " + name, r -> r.getString(1)).orElse(null));
    }
}
