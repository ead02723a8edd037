package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewerSchemaTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseFromANewerCairnIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("future.db");
        int code;
        try (Cairn db = Cairn.open(file)) {
            code = db.status().codeSchemaVersion();
            int future = code + 40;
            db.session().write(c -> {
                Sql.update(c, "INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                        future, "from_the_future", "0".repeat(64), 0L);
                return Sql.update(c, "UPDATE meta SET schema_version = ?", future);
            });
            db.checkpoint();
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Cairn.open(file))
                .isInstanceOf(SchemaTooNewException.class)
                .hasMessageContaining("schema version " + (code + 40))
                .hasMessageContaining("up to " + code)
                .hasMessageContaining("upgrade Cairn")
                .satisfies(e -> {
                    SchemaTooNewException tooNew = (SchemaTooNewException) e;
                    assertThat(tooNew.databaseVersion()).isEqualTo(code + 40);
                    assertThat(tooNew.codeVersion()).isEqualTo(code);
                });
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }
}
