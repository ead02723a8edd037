package dev.cairn;

/** The database was migrated by a newer Cairn than this one; it was left untouched. Upgrade Cairn to use it. */
public class SchemaTooNewException extends CairnException {
    private final int databaseVersion;
    private final int codeVersion;

    public SchemaTooNewException(String location, int databaseVersion, int codeVersion) {
        super(location + " has schema version " + databaseVersion + " but this Cairn knows versions up to "
                + codeVersion + ": upgrade Cairn to a release that ships migration " + databaseVersion
                + " (the database was left untouched)");
        this.databaseVersion = databaseVersion;
        this.codeVersion = codeVersion;
    }

    public int databaseVersion() {
        return databaseVersion;
    }

    public int codeVersion() {
        return codeVersion;
    }
}
