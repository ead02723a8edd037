package dev.cairn.internal;

import dev.cairn.Durability;
import java.time.Clock;
import java.time.Duration;

/** The settings an {@link Engine} is opened with; built by {@link dev.cairn.Cairn.Builder}. */
public record StoreConfig(Durability durability, Duration busyTimeout, int readers, boolean readOnly, Clock clock) {}
