package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.NotFoundException;
import dev.cairn.StorageException;
import dev.cairn.runs.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn run import FILE}. */
@Command(name = "import", description = "Load a run archive written by 'cairn run export' into this store: the run, "
        + "its steps, calls and audit entries. Refused (exit 4) when the run or its key is already here; nothing is "
        + "written then.")
final class RunImportCommand implements Callable<Integer> {
    @ParentCommand
    RunCommand parent;

    @Parameters(paramLabel = "FILE", description = "The archive to load.")
    Path file;

    @Override
    public Integer call() {
        CairnCommand root = parent.root;
        Run run;
        try (Cairn db = OpenStore.forWriting(root); InputStream in = Files.newInputStream(file)) {
            run = db.runs().importRun(in);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no run archive at " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new StorageException("cannot read the archive " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("run", run.id());
            result.put("steps", run.stepCount());
            root.printJson(result);
        } else {
            root.out().println("run " + run.id() + " imported (" + run.stepCount() + " steps, " + run.status() + ")");
        }
        return ExitCodes.OK;
    }
}
