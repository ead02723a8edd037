package dev.cairn;

/** A record that an operation names (a goal, a task, a run, a stream ...) does not exist. */
public class NotFoundException extends CairnException {
    public NotFoundException(String message) {
        super(message);
    }
}
