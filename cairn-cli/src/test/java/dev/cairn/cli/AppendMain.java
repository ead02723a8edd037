package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.nio.file.Path;

/** Another process writing to the log: {@code AppendMain DB STREAM COUNT}. */
public final class AppendMain {
    private AppendMain() {}

    public static void main(String[] args) {
        try (Cairn db = Cairn.open(Path.of(args[0]))) {
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                db.events().append(args[1], ExpectedVersion.any(),
                        EventData.of("remote.appended", "{\"i\":" + i + "}"));
            }
        }
    }
}
