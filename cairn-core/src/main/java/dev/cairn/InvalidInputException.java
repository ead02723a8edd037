package dev.cairn;

/** An argument is malformed or out of range; nothing was written. The message names the argument and the rule. */
public class InvalidInputException extends CairnException {
    public InvalidInputException(String message) {
        super(message);
    }
}
