package dev.cairn.cli;

import dev.cairn.Cairn;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code cairn}: operate a Cairn store from the shell. */
@Command(
        name = "cairn",
        // Inherited: --help and --version on every command, and the footer below it.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = CairnCommand.Version.class,
        description = "Inspect, maintain and demonstrate a Cairn store: the durable memory of an agent runtime.",
        footer = {
            "",
            "The database is --db, else $CAIRN_DB, else $XDG_STATE_HOME/cairn/cairn.db, else "
                    + "~/.local/state/cairn/cairn.db.",
            "Exit codes: 0 ok, 1 problems found, 2 usage, 3 not found, 4 conflict, 5 busy, 6 schema, 7 storage."
        })
public final class CairnCommand implements Callable<Integer> {
    /**
     * Every command, in the order {@code --help} lists them. picocli reads a command's annotations when it is added,
     * and for all of them that is a third of a short command's run; so an invocation adds only the command it names
     * (all of them for help, completion, or a name none has): see {@link #commandLine}.
     */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            MigrateCommand.class,
            StatusCommand.class,
            DoctorCommand.class,
            BackupCommand.class,
            CopyCommand.class,
            VacuumCommand.class,
            RunsCommand.class,
            RunCommand.class,
            AuditCommand.class,
            PruneCommand.class,
            EventsCommand.class,
            ProjectionsCommand.class,
            ThreadsCommand.class,
            ThreadCommand.class,
            GoalsCommand.class,
            GoalCommand.class,
            TaskCommand.class,
            LeasesCommand.class,
            LeaseCommand.class,
            ImportCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "PATH|URL",
            description = "The database: a file, or a jdbc:postgresql:// URL (default: $CAIRN_DB, "
                    + "$XDG_STATE_HOME/cairn/cairn.db, ~/.local/state/cairn/cairn.db).")
    String db;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces and debug logging on errors.")
    boolean verbose;

    /** Who confirms a repair: the terminal, or a script of answers in tests. */
    Terminal.Prompt prompt = Terminal.Prompt.SYSTEM;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }

    /**
     * The database this invocation is about: an absolute file path or a server URL. A URL of a database Cairn does
     * not run on is refused here, before anything is created.
     */
    String location() {
        if (db != null && Cairn.isServerLocation(db)) {
            return db;
        }
        if (db != null && db.startsWith("jdbc:")) {
            Cairn.builder().location(db); // refuses with the library's own message (exit 2)
        }
        Path path = db != null ? Path.of(db.startsWith("jdbc:sqlite:") ? db.substring("jdbc:sqlite:".length()) : db)
                : Cairn.defaultPath();
        return path.toAbsolutePath().normalize().toString();
    }

    /** The database as printed: a path, or a URL without its password. */
    String database() {
        return Cairn.describe(location());
    }

    /** A builder for the store this invocation is about. */
    Cairn.Builder store() {
        return Cairn.builder().location(location());
    }

    /** Whether there is a database to talk to: a file that exists, or any server URL. */
    boolean databaseExists() {
        return Cairn.isServerLocation(location()) || Files.exists(Path.of(location()));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints one JSON document on one line. */
    void printJson(Object value) {
        JsonOutput.print(out(), value);
    }

    public static void main(String[] args) throws IOException {
        // The launcher's training run for its class-data archive (see ./cairn), not a command of its own.
        System.exit(Boolean.getBoolean("cairn.training") ? ClassDataTraining.run() : run(args));
    }

    /** Runs the command line on the process's stdout and stderr and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output streams (tests capture them) and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(Terminal.Prompt.SYSTEM, out, err, args);
    }

    /** Runs the command line asking {@code prompt} to confirm repairs. */
    static int run(Terminal.Prompt prompt, PrintWriter out, PrintWriter err, String... args) {
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
        }
        CairnCommand command = new CairnCommand();
        command.prompt = prompt;
        CommandLine commandLine = commandLine(command, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        int code = configure(commandLine, verbose).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command line of {@code command} with the subcommand {@code args} names, or all of them. */
    static CommandLine commandLine(CairnCommand command, String... args) {
        CommandLine line = new CommandLine(command);
        Class<?> named = named(args);
        for (Class<?> subcommand : COMMANDS) {
            if (named == null || subcommand == named) {
                line.addSubcommand(subcommand);
            }
        }
        return line;
    }

    /**
     * The command {@code args} runs: the first word that is no option of the root, nor the value of {@code --db};
     * null when it needs them all (help, version, completion, or an unknown name, which picocli then reports).
     */
    private static Class<?> named(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--db")) {
                i++;
            } else if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return null;
            } else if (!arg.startsWith("-")) {
                for (Class<?> subcommand : COMMANDS) {
                    Command annotation = subcommand.getAnnotation(Command.class);
                    if (annotation != null && annotation.name().equals(arg)) {
                        return arg.equals("help") || arg.equals("completion") ? null : subcommand;
                    }
                }
                return null;
            }
        }
        return null;
    }

    static CommandLine configure(CommandLine commandLine, boolean verbose) {
        commandLine.setExecutionExceptionHandler((e, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println("cairn: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (verbose) {
                e.printStackTrace(err);
            } else if (ExitCodes.of(e) == ExitCodes.INTERNAL) {
                err.println("cairn: this is a bug in Cairn; run again with --verbose and report the output");
            }
            err.flush();
            return ExitCodes.of(e);
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            CommandLine line = e.getCommandLine();
            line.getErr().println("cairn: " + e.getMessage() + " (see '" + line.getCommandSpec().qualifiedName()
                    + " --help')");
            line.getErr().flush();
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    /** The version of the library, which is the version of the command. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cairn " + Cairn.version()};
        }
    }
}
