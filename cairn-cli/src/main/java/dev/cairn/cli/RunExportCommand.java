package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn run export ID --out FILE}. */
@Command(name = "export", description = "Write one run to a self-contained archive file: the run, its steps with "
        + "their results, its recorded calls, its audit entries, and the events of its goal if it names one (format: "
        + "docs/runs.md).")
final class RunExportCommand implements Callable<Integer> {
    @ParentCommand
    RunCommand parent;

    @Parameters(paramLabel = "ID", description = "The run's id, as 'cairn runs' lists it.")
    String id;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The archive to write; an existing "
            + "file is replaced only once the whole archive is written.")
    Path out;

    @Override
    public Integer call() {
        CairnCommand root = parent.root;
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        Path target = out.toAbsolutePath();
        try (Cairn db = OpenStore.forReading(root)) {
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
            try (OutputStream stream = Files.newOutputStream(partial)) {
                db.runs().exportRun(id.strip(), stream);
            } catch (RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException("cannot write the archive " + target + ": " + e.getMessage(), e);
        }
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("run", id.strip());
            result.put("archive", target.toString());
            root.printJson(result);
        } else {
            root.out().println("run " + id.strip() + " written to " + target);
        }
        return ExitCodes.OK;
    }
}
