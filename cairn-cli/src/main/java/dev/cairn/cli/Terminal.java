package dev.cairn.cli;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/** Whether a person is watching, and a progress bar for them. */
final class Terminal {
    private Terminal() {}

    /** True when stderr goes to a terminal (progress bars) and CI is not set. */
    static boolean interactive() {
        if (System.getenv("CI") != null) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; isTerminal() tells the truth there.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, a console exists only on a terminal
        }
    }

    /** Asks a person a yes-or-no question before a command changes something. */
    interface Prompt {
        /** On the process's terminal, when it has one (and CI is not set). */
        Prompt SYSTEM = new Prompt() {
            @Override
            public boolean available() {
                return interactive();
            }

            @Override
            public String ask(String question) {
                Console console = System.console();
                return console == null ? null : console.readLine("%s", question);
            }
        };

        /** Whether there is a person to ask. */
        boolean available();

        /** Shows {@code question} and returns the answer, or null when the input ended. */
        String ask(String question);
    }

    /** A one-line bar on stderr, redrawn in place; silent when no person watches. */
    static final class ProgressBar {
        private final PrintStream out;
        private final String label;
        private final boolean enabled;
        private int lastPercent = -1;

        ProgressBar(PrintStream out, String label, boolean enabled) {
            this.out = out;
            this.label = label;
            this.enabled = enabled;
        }

        void update(long done, long total) {
            if (!enabled || total <= 0) {
                return;
            }
            int percent = (int) Math.min(100, done * 100 / total);
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            int width = 30;
            int filled = percent * width / 100;
            out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + percent + "%");
            out.flush();
        }

        void finish() {
            if (enabled && lastPercent >= 0) {
                out.print("\r" + " ".repeat(label.length() + 40) + "\r");
                out.flush();
            }
        }
    }
}
