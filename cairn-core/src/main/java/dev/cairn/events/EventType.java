package dev.cairn.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the stored type of an event record: the one place the name is written. The {@code type} column, the
 * {@code type} of an event's JSON form and every lookup by name come from this annotation through
 * {@link EventCatalogue}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
    /** The stored type name, for example {@code thread.message-sent}. Never change it once events are stored. */
    String value();

    /** The payload's current schema version; raise it with each incompatible change and add an {@link Upcaster}. */
    int version() default 1;
}
