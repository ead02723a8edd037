package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.internal.Json;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every type of the orchestration catalogue, found from the sealed hierarchy (so a new record is covered without
 * touching this test), goes record -> row -> record unchanged, and its name in the type column, in the catalogue and
 * in its JSON form is one and the same.
 */
class CatalogueRoundTripTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("catalogue.db").toString();
    }

    @Test
    void everyTypeRoundTripsWithOneName() throws Exception {
        List<Class<? extends OrchestrationEvent>> classes = Orchestration.CATALOGUE.eventClasses();
        assertThat(classes).hasSizeGreaterThanOrEqualTo(23);
        assertThat(Orchestration.CATALOGUE.types()).contains("project.created", "thread.message-delta-appended",
                "thread.turn-completed", "thread.approval-decided", "setting.cleared");
        try (Cairn db = Cairn.open(location())) {
            for (Class<? extends OrchestrationEvent> type : classes) {
                OrchestrationEvent event = sample(type);
                RecordedEvent row = db.events().append(event.streamId(), ExpectedVersion.any(),
                        Orchestration.data(event)).get(0);
                RecordedEvent read = db.events().readStream(event.streamId(), row.streamVersion()).findFirst()
                        .orElseThrow();
                String name = type.getAnnotation(EventType.class).value();
                assertThat(read.type()).as(type.getName()).isEqualTo(name)
                        .isEqualTo(Orchestration.CATALOGUE.typeOf(type))
                        .isEqualTo(Orchestration.CATALOGUE.toJson(event).get("type").asText());
                assertThat(Orchestration.decode(read)).as(name).contains(event);
            }
        }
    }

    /** An instance with a value in every component, so that a dropped field would show. */
    static OrchestrationEvent sample(Class<? extends OrchestrationEvent> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(components[i]);
        }
        Constructor<? extends OrchestrationEvent> constructor = type.getDeclaredConstructor(types);
        return constructor.newInstance(args);
    }

    private static Object value(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == String.class) {
            return component.getName() + "-1";
        } else if (type == boolean.class) {
            return true;
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[constants.length - 1];
        } else if (type == List.class) {
            return List.of("src/A.java", "README.md");
        } else if (type == JsonNode.class) {
            return Json.tree("{\"nested\":{\"n\":1},\"list\":[true,null]}");
        }
        throw new AssertionError("no sample value for " + type + " of " + component);
    }
}
