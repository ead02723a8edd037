/**
 * Cairn, the durable state store of AI-agent runtimes: {@link dev.cairn.Cairn} opens a store; the exported packages
 * are the whole API, and the {@code internal} packages are not exported, so no caller can come to depend on them.
 */
module dev.cairn {
    exports dev.cairn;
    exports dev.cairn.conversations;
    exports dev.cairn.events;
    exports dev.cairn.events.orchestration;
    exports dev.cairn.goals;
    exports dev.cairn.imports.omk;
    exports dev.cairn.maintenance;
    exports dev.cairn.projections;
    exports dev.cairn.runs;

    requires java.sql;
    // The API names Jackson types (JsonNode, ObjectNode, the annotations on its records and enums), so a caller
    // that reads dev.cairn reads Jackson too; databind requires core and annotations transitively.
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;
    // Only stores on PostgreSQL need these; an application that opens one adds both (see the README).
    requires static org.postgresql.jdbc;
    requires static com.zaxxer.hikari;

    // Jackson reads and writes these records and enums reflectively: the events of the orchestration catalogue, and
    // the goal store's values kept as JSON (gate results, event payloads of goals).
    opens dev.cairn.events.orchestration to com.fasterxml.jackson.databind;
    opens dev.cairn.goals to com.fasterxml.jackson.databind;
}
