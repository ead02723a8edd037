package dev.cairn.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cairn completion bash|zsh}: a completion script made from the command definitions themselves, so it knows
 * every command and option this build has.
 */
@Command(name = "completion", description = {"Print a shell completion script for bash or zsh.",
    "bash: source <(cairn completion bash), or save it in ~/.local/share/bash-completion/completions/cairn. "
        + "zsh: source <(cairn completion zsh) in ~/.zshrc."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells a script is made for. */
    enum Shell { bash, zsh }

    @ParentCommand
    CairnCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("cairn", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script runs in zsh through its bash-completion emulation.
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        root.out().print(script);
        root.out().flush();
        return ExitCodes.OK;
    }
}
