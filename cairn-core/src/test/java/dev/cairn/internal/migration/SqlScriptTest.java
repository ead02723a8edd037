package dev.cairn.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void splitsOnSemicolonsOutsideQuotesCommentsAndTriggerBodies() {
        String script = """
                -- leading comment; with a semicolon
                CREATE TABLE a (x TEXT DEFAULT 'semi;colon', "odd;name" INT);
                /* block; comment */
                CREATE TRIGGER t AFTER INSERT ON a BEGIN
                  UPDATE a SET x = 'y;' WHERE rowid = new.rowid;
                  DELETE FROM a WHERE 0;
                END;
                CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
                INSERT INTO a (x) VALUES ('it''s; fine')
                """;
        List<SqlScript.Statement> statements = SqlScript.split(script);
        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(2, 4, 8, 9);
        assertThat(statements.get(0).sql()).isEqualTo("CREATE TABLE a (x TEXT DEFAULT 'semi;colon', \"odd;name\" INT)");
        assertThat(statements.get(1).sql()).startsWith("CREATE TRIGGER t").endsWith("END");
        assertThat(statements.get(1).sql()).contains("DELETE FROM a WHERE 0;");
        assertThat(statements.get(2).sql()).contains("$body$ SELECT 1; $body$");
        assertThat(statements.get(3).sql()).isEqualTo("INSERT INTO a (x) VALUES ('it''s; fine')");
    }

    @Test
    void aScriptOfOnlyCommentsHasNoStatements() {
        assertThat(SqlScript.split("-- nothing\n/* at all */\n;\n")).isEmpty();
    }
}
