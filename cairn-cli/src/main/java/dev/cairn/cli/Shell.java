package dev.cairn.cli;

import java.util.regex.Pattern;

/** Text a POSIX shell reads back as it was: for the commands the CLI prints for people to paste. */
final class Shell {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:@%+=,/-]+");

    private Shell() {}

    /** {@code word} as is when the shell would not change it, else in single quotes. */
    static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
