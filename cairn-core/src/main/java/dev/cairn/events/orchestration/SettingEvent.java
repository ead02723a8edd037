package dev.cairn.events.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.events.EventType;

/** The events of a setting: a named JSON value. Stream {@code setting:KEY}. */
public sealed interface SettingEvent extends OrchestrationEvent {
    String key();

    @Override
    default String streamId() {
        return "setting:" + key();
    }

    /** A setting was given a value. */
    @EventType("setting.set")
    record Set(String key, JsonNode value) implements SettingEvent {
        public Set {
            Require.id(key, "key");
            Require.present(value, "value");
        }
    }

    /** A setting was removed. */
    @EventType("setting.cleared")
    record Cleared(String key) implements SettingEvent {
        public Cleared {
            Require.id(key, "key");
        }
    }
}
