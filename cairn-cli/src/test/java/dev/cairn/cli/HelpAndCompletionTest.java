package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What {@code --help} says and what the completion scripts offer, both made from the command definitions: every
 * command is listed, no description stops mid-sentence, and bash completes the commands a user types.
 */
class HelpAndCompletionTest {
    @TempDir
    Path dir;

    /** Every command and subcommand, depth first. */
    static List<CommandSpec> everyCommand() {
        List<CommandSpec> all = new ArrayList<>();
        collect(CairnCommand.commandLine(new CairnCommand()).getCommandSpec(), all);
        return all;
    }

    private static void collect(CommandSpec spec, List<CommandSpec> into) {
        into.add(spec);
        for (CommandLine sub : spec.subcommands().values()) {
            if (!into.contains(sub.getCommandSpec())) {
                collect(sub.getCommandSpec(), into);
            }
        }
    }

    @Test
    void helpListsEveryCommandTheLauncherAccepts() {
        Cli help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        String commands = help.out().substring(help.out().indexOf("Commands:"));
        List<String> names = new ArrayList<>();
        for (Class<?> command : CairnCommand.COMMANDS) {
            names.add(command.getAnnotation(CommandLine.Command.class).name());
        }
        assertThat(names).contains("bench", "completion", "goal", "task", "lease", "leases");
        for (String name : names) {
            assertThat(commands).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(help.out()).doesNotContain("\u001b[");
    }

    @Test
    void anInvocationBuildsOnlyTheCommandItNames() {
        assertThat(CairnCommand.commandLine(new CairnCommand(), "--db", "goals", "--json", "goals", "--orphaned")
                .getSubcommands().keySet()).containsExactly("goals");
        assertThat(CairnCommand.commandLine(new CairnCommand(), "--db=x", "goal", "pause", "g").getSubcommands()
                .keySet()).containsExactly("goal");
        for (String[] all : List.of(new String[] {"--help"}, new String[] {"help", "goals"},
                new String[] {"completion", "bash"}, new String[] {"--db", "x", "bogus"}, new String[0])) {
            assertThat(CairnCommand.commandLine(new CairnCommand(), all).getSubcommands())
                    .hasSameSizeAs(CairnCommand.COMMANDS);
        }
        Cli unknown = Cli.run("--db", dir.resolve("x.db").toString(), "bogus");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unmatched argument");
    }

    @Test
    void noDescriptionStopsMidSentence() {
        List<String> cut = new ArrayList<>();
        int checked = 0;
        for (CommandSpec spec : everyCommand()) {
            if (spec.userObject() instanceof CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            // A command list shows the first line only: it must be a sentence of its own.
            String[] description = spec.usageMessage().description();
            assertThat(description).as(spec.qualifiedName()).isNotEmpty();
            checked++;
            if (!description[0].strip().endsWith(".")) {
                cut.add(spec.qualifiedName() + ": " + description[0]);
            }
        }
        assertThat(checked).isGreaterThan(30);
        assertThat(cut).isEmpty();
    }

    @Test
    void everyCommandTakesHelp() {
        for (CommandSpec spec : everyCommand()) {
            if (spec.userObject() instanceof CommandLine.HelpCommand) {
                continue; // 'cairn help --help' is picocli's own
            }
            List<String> args = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
            args.remove(0);
            args.add("--help");
            Cli help = Cli.run(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", args) + ": " + help.err()).isZero();
            assertThat(help.out()).startsWith("Usage: " + spec.qualifiedName(" "));
        }
    }

    @Test
    void bashCompletesCommandsAndSubcommands() throws Exception {
        Cli bash = Cli.run("completion", "bash");
        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_cairn").contains("release-controller")
                .contains("expire-stale").contains("--dry-run");
        Path script = dir.resolve("cairn.bash");
        Files.writeString(script, bash.out(), StandardCharsets.UTF_8);
        assertThat(complete(script, "cairn goal re")).containsExactlyInAnyOrder("resume", "release-controller");
        assertThat(complete(script, "cairn lea")).containsExactlyInAnyOrder("leases", "lease");
        assertThat(complete(script, "cairn leases expire-stale --old")).containsExactly("--older-than");

        Cli zsh = Cli.run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit")
                .contains("complete -F _complete_cairn");
        assertThat(Cli.run("completion", "fish").exitCode()).isEqualTo(2);
    }

    /** What bash offers for {@code line} (the cursor at its end) with the completion script sourced. */
    private static List<String> complete(Path script, String line) throws Exception {
        String[] words = line.split(" ");
        String program = "source '" + script + "' 2>/dev/null; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE};"
                + " COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "; _complete_cairn cairn '"
                + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }
}
