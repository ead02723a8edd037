package dev.cairn.events;

/** Who caused an event: a client (a person's UI or CLI), the server (the runtime itself), or a model provider. */
public enum ActorKind {
    CLIENT("client"),
    SERVER("server"),
    PROVIDER("provider");

    private final String stored;

    ActorKind(String stored) {
        this.stored = stored;
    }

    /** The stored name. */
    @Override
    public String toString() {
        return stored;
    }

    /** The kind of a stored name, or null for null; an unknown name (from a newer Cairn) reads as null. */
    public static ActorKind fromStored(String name) {
        if (name == null) {
            return null;
        }
        for (ActorKind kind : values()) {
            if (kind.stored.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
