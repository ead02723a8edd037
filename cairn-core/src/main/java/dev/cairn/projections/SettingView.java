package dev.cairn.projections;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A setting's current value. */
public record SettingView(String key, JsonNode value, Instant updatedAt) {}
